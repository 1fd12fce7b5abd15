import Correlate

// MARK: - `ssmpath endpoints --region R`: the names the agent contacts, and what each is for

/// Renders the endpoint catalog for one region as text, Markdown or JSON, in English or Japanese.
public enum EndpointListWriter {
    public static func render(_ entries: [CatalogEntry], region: String, format: ReportFormat, language: ReportLanguage) -> String {
        switch format {
        case .json: return json(entries, region: region, language: language)
        case .markdown, .html: return markdown(entries, region: region, language: language)
        case .text: return text(entries, region: region, language: language)
        }
    }

    // MARK: - Formats

    private static func text(_ entries: [CatalogEntry], region: String, language: ReportLanguage) -> String {
        var out = heading(region: region, language: language) + "\n\n"
        let nameWidth = min(72, entries.map { TextLayout.width(Escape.terminal($0.name.text)) }.max() ?? 0)
        for entry in entries {
            let name = Escape.terminal(entry.name.text)
            let pad = String(repeating: " ", count: max(1, nameWidth - TextLayout.width(name) + 2))
            out += "  " + name + pad + requirement(entry.required, language) + "  " + purpose(entry.purpose, language) + "\n"
        }
        out += "\n" + footnote(language) + "\n"
        return out
    }

    private static func markdown(_ entries: [CatalogEntry], region: String, language: ReportLanguage) -> String {
        var out = "# " + Escape.markdown(heading(region: region, language: language)) + "\n\n"
        out += language == .ja ? "| 名前 | 必須 | 用途 |\n|---|---|---|\n" : "| Name | Required | Purpose |\n|---|---|---|\n"
        for entry in entries {
            out += "| " + Escape.markdownCode(entry.name.text) + " | " + requirement(entry.required, language) + " | "
                + Escape.markdown(purpose(entry.purpose, language)) + " |\n"
        }
        out += "\n" + footnote(language) + "\n"
        return out
    }

    private static func json(_ entries: [CatalogEntry], region: String, language: ReportLanguage) -> String {
        let items: [JSONValue] = entries.map { entry in
            .object([
                ("name", .string(entry.name.text)),
                ("service", .string(entry.identity.service)),
                ("region", .string(entry.identity.region)),
                ("partition", .string(entry.identity.partition.rawValue)),
                ("kind", .string(entry.identity.kind.rawValue)),
                ("required", .bool(entry.required)),
                ("purpose", .string(entry.purpose.rawValue)),
                ("description", .string(purpose(entry.purpose, language))),
            ])
        }
        return JSONWriter.serialize(.object([("schemaVersion", .int(1)), ("region", .string(region)), ("endpoints", .array(items))]))
    }

    // MARK: - Words

    private static func heading(region: String, language: ReportLanguage) -> String {
        language == .ja ? "SSM エージェントが \(region) で接続するエンドポイント" : "Endpoints the SSM agent contacts in \(region)"
    }

    private static func requirement(_ required: Bool, _ language: ReportLanguage) -> String {
        switch (required, language) {
        case (true, .en): "required"
        case (false, .en): "optional"
        case (true, .ja): "必須    "
        case (false, .ja): "任意    "
        }
    }

    private static func footnote(_ language: ReportLanguage) -> String {
        language == .ja
            ? "プライベート VPC では、必須の 3 つ (ssm、ssmmessages、ec2messages) それぞれにプライベート DNS を有効にしたインターフェイス VPC エンドポイントが必要です。インスタンスは AmazonProvidedDNS (VPC ベース +2、169.254.169.253) で名前解決する必要があります。"
            : "In a private VPC each required name needs an interface VPC endpoint with private DNS enabled, and the instance must resolve it through AmazonProvidedDNS (VPC base+2, 169.254.169.253)."
    }

    static func purpose(_ purpose: ServicePurpose, _ language: ReportLanguage) -> String {
        switch (purpose, language) {
        case (.agentAPI, .en): "Systems Manager API: registration, inventory, associations, parameters"
        case (.agentAPI, .ja): "Systems Manager API: 登録、インベントリ、関連付け、パラメータ"
        case (.controlChannel, .en): "Session Manager and Run Command control channel (agent 3.3.40.0+ also uses it instead of ec2messages)"
        case (.controlChannel, .ja): "Session Manager と Run Command の制御チャネル (エージェント 3.3.40.0 以降は ec2messages の代わりにも使用)"
        case (.messagePolling, .en): "Run Command message polling (older agents; newer ones poll it briefly at start)"
        case (.messagePolling, .ja): "Run Command のメッセージポーリング (古いエージェント。新しいものも起動直後に短時間使用)"
        case (.artifactStorage, .en): "S3: agent updates, patch baselines, command output and logs"
        case (.artifactStorage, .ja): "S3: エージェントの更新、パッチベースライン、コマンド出力とログ"
        case (.encryption, .en): "KMS: encrypted SecureString parameters and Session Manager encryption"
        case (.encryption, .ja): "KMS: SecureString パラメータと Session Manager の暗号化"
        case (.logDelivery, .en): "CloudWatch Logs: session and command logs"
        case (.logDelivery, .ja): "CloudWatch Logs: セッションとコマンドのログ"
        case (.metrics, .en): "CloudWatch: metrics"
        case (.metrics, .ja): "CloudWatch: メトリクス"
        case (.credentials, .en): "STS: credentials for the instance or hybrid activation"
        case (.credentials, .ja): "STS: インスタンスまたはハイブリッドアクティベーションの認証情報"
        case (.instanceAPI, .en): "EC2 API: instance metadata for some documents and features"
        case (.instanceAPI, .ja): "EC2 API: 一部のドキュメントと機能が使うインスタンス情報"
        }
    }
}
