import Correlate

// MARK: - Japanese (AWS ドキュメントの用語に合わせる)

enum JapaneseCatalog {
    static func ui(_ key: UIText) -> String {
        switch key {
        case .reportTitle: "SSM エージェントのネットワーク経路レポート"
        case .summary: "概要"
        case .verdict: "結論"
        case .severity: "重大度"
        case .timeline: "タイムライン"
        case .endpoints: "SSM エンドポイント"
        case .dnsQueries: "DNS クエリ"
        case .findings: "検出事項"
        case .evidence: "根拠"
        case .remedies: "対処方法"
        case .displayFilter: "Wireshark 表示フィルター"
        case .agentLog: "amazon-ssm-agent.log に記録される内容"
        case .agentLogIntro: "amazon-ssm-agent.log (Linux: /var/log/amazon/ssm/amazon-ssm-agent.log、Windows: C:\\ProgramData\\Amazon\\SSM\\Logs\\amazon-ssm-agent.log) で次のような行を探してください。"
        case .agentLogNone: "このキャプチャにはネットワーク障害が見られないため、エージェントのログにもこれらのエンドポイントへの接続エラーは記録されていないはずです。"
        case .remedyComparison: "ドメイン参加インスタンスでの対処方法の比較"
        case .remedy: "対処方法"
        case .useCase: "適した場面"
        case .caveat: "注意点とコスト"
        case .captureMetadata: "キャプチャ"
        case .file: "ファイル"
        case .format: "形式"
        case .linkTypes: "リンクタイプ"
        case .packets: "パケット数"
        case .bytes: "バイト数"
        case .firstPacket: "最初のパケット"
        case .lastPacket: "最後のパケット"
        case .truncated: "切り詰められたフレーム"
        case .undecodable: "デコードできないフレーム"
        case .warnings: "警告"
        case .hostname: "ホスト名"
        case .resolver: "リゾルバー"
        case .answer: "応答"
        case .addressClass: "種別"
        case .label: "結果"
        case .attempts: "試行"
        case .synRetransmits: "SYN 再送"
        case .time: "時刻"
        case .frame: "フレーム"
        case .event: "イベント"
        case .client: "クライアント"
        case .server: "サーバー"
        case .type: "タイプ"
        case .rcode: "RCODE"
        case .rtt: "RTT (ms)"
        case .status: "状態"
        case .timedOut: "タイムアウト"
        case .answered: "応答あり"
        case .noAnswer: "応答なし"
        case .legend: "凡例"
        case .dnsQuery: "DNS クエリ"
        case .dnsAnswer: "DNS 応答"
        case .vpcCIDRs: "VPC CIDR"
        case .inferred: "クライアントのアドレスから推定"
        case .given: "指定値"
        case .resolvers: "DNS サーバー"
        case .resolverClass: "種類"
        case .queries: "クエリ数"
        case .counters: "カウンター"
        case .generatedBy: "作成ツール"
        case .none: "なし"
        case .moreEvents: "件のイベントを省略"
        case .whatToDo: "対処方法"
        case .noEndpoints: "SSM エンドポイントへの接続は見られませんでした。"
        case .noDNS: "SSM エンドポイントの DNS クエリは見られませんでした。"
        case .notConnected: "接続なし"
        case .tlsVersion: "TLS"
        case .sni: "SNI"
        case .captureWindow: "キャプチャ期間"
        case .timelineCaption: "ホスト名ごとに 1 レーン: DNS クエリ (円)、DNS 応答 (ひし形)、接続試行ごとの結果別の色のバー。目盛りは SYN の再送を示します。"
        case .seconds: "秒"
        case .noFindings: "検出事項はありません。"
        case .more: "件"
        case .healthy: "正常"
        case .tcpSegments: "TCP セグメント"
        case .fromServer: "サーバーから"
        case .fromClient: "クライアントから"
        case .clientToServer: "クライアント → サーバー"
        case .serverToClient: "サーバー → クライアント"
        case .moreRows: "件の行を省略 (JSON レポートにはすべて含まれます)"
        }
    }

    static func severity(_ s: Severity) -> String {
        switch s {
        case .info: "情報"
        case .warning: "警告"
        case .error: "エラー"
        }
    }

    static func fallback(_ p: Placeholder) -> String {
        switch p {
        case .hosts: "SSM エンドポイント"
        case .resolvers: "DNS サーバー"
        case .addresses: "サーバーのアドレス"
        case .clients: "インスタンス"
        case .region: "<リージョン>"
        case .rcode: "エラー"
        case .alert: "アラートはなく、ServerHello も返ってきません"
        case .port: "443"
        }
    }

    static func title(_ code: FindingCode) -> String {
        switch code {
        case .resolverBypassesEndpoint: "DNS サーバーが VPC エンドポイントではなくパブリックアドレスを返している"
        case .noEndpointNoRoute: "VPC エンドポイントもインターネットへの経路もない"
        case .endpointUnreachable: "VPC エンドポイントがポート 443 で応答しない"
        case .connectionRefused: "接続が拒否されている"
        case .tlsFailure: "TLS ハンドシェイクが失敗している"
        case .connectionReset: "接続がリセットされている"
        case .dnsUnreachable: "DNS サーバーが応答しない"
        case .dnsError: "DNS サーバーがエラーを返している"
        case .noSSMTraffic: "キャプチャに SSM の通信がない"
        case .healthyVPCEndpoint: "正常: VPC エンドポイント経由"
        case .healthyInternet: "正常: インターネット経由"
        case .healthyProxy: "正常: プロキシ経由"
        case .resolverFallback: "別の DNS サーバーへのフォールバックが発生している"
        case .nonAmazonResolver: "AmazonProvidedDNS を使用していない"
        case .noDNSSeen: "SSM のホスト名の DNS クエリがない"
        case .ec2messagesInUse: "エージェントは ec2messages も使用している"
        case .captureIncomplete: "キャプチャが不完全"
        case .limitsHit: "追跡の上限に達した"
        }
    }

    static func summary(_ code: FindingCode) -> String {
        switch code {
        case .resolverBypassesEndpoint:
            "DNS サーバー {resolvers} が {hosts} に対して VPC エンドポイントのプライベートアドレスではなくパブリックアドレスを返しており、{addresses} への接続がすべてタイムアウトしているため、SSM エージェントは接続できません。"
        case .noEndpointNoRoute:
            "{hosts} がパブリックアドレスに解決され (プライベート DNS が有効な VPC エンドポイントがない)、サブネットにインターネットへの経路もないため {addresses} への接続がタイムアウトし、SSM エージェントは接続できません。"
        case .endpointUnreachable:
            "{hosts} の VPC エンドポイントのアドレス {addresses} がポート {port} で応答しないため、SSM エージェントは接続できません。セキュリティグループ、ネットワーク ACL、またはルートが通信を破棄しています。"
        case .connectionRefused:
            "{hosts} のアドレス {addresses} への接続が拒否されているため、SSM エージェントは接続できません。"
        case .tlsFailure:
            "SSM エージェントは {hosts} のアドレス {addresses} に到達していますが、TLS ハンドシェイクが完了していません。"
        case .connectionReset:
            "SSM エージェントから {hosts} のアドレス {addresses} への接続が、使用される前にリセットされています。"
        case .dnsUnreachable:
            "DNS サーバー {resolvers} が応答しないため、SSM エージェントは {hosts} を名前解決できません。"
        case .dnsError:
            "DNS サーバー {resolvers} が {rcode} を返すため、SSM エージェントは {hosts} を名前解決できません。"
        case .noSSMTraffic:
            "キャプチャに SSM エンドポイントへの通信が含まれておらず、記録中に SSM エージェントは接続を試みていません。"
        case .healthyVPCEndpoint:
            "SSM エージェントは VPC エンドポイントのプライベートアドレス {addresses} を経由して {hosts} に到達しており、TLS ハンドシェイクも完了しています。"
        case .healthyInternet:
            "SSM エージェントはパブリックアドレス {addresses} を使ってインターネット経由で {hosts} に到達しており、TLS ハンドシェイクも完了しています。"
        case .healthyProxy:
            "SSM エージェントはプロキシ {addresses} を経由して {hosts} に到達しており、TLS ハンドシェイクも完了しています。"
        case .resolverFallback:
            "{resolvers} へのクエリがタイムアウトし、インスタンスは別の DNS サーバーにフォールバックしています。"
        case .nonAmazonResolver:
            "インスタンスは SSM のホスト名を AmazonProvidedDNS ではない {resolvers} に問い合わせています。"
        case .noDNSSeen:
            "キャプチャには {hosts} への接続がありますが、その DNS クエリはありません。"
        case .ec2messagesInUse:
            "エージェントは ssm と ssmmessages に加えて {hosts} にも接続しています。"
        case .captureIncomplete:
            "キャプチャが不完全なため、このレポートには発生した事象の一部が含まれていない可能性があります。"
        case .limitsHit:
            "ssmpath が追跡の上限に達したため、このレポートには一部のフローまたは DNS トランザクションが含まれていません。"
        }
    }

    static func detail(_ code: FindingCode) -> String {
        switch code {
        case .resolverBypassesEndpoint:
            "{resolvers} は AmazonProvidedDNS ではありません。VPC インターフェイスエンドポイントのプライベート DNS 名がエンドポイントのプライベート IP アドレスに解決されるのは、クエリが AmazonProvidedDNS (VPC の基本アドレス + 2、`169.254.169.253` または `fd00:ec2::253`) に届いた場合だけです。Active Directory ドメインに参加したインスタンスはドメインの DNS サーバーに問い合わせ、そのサーバーは {hosts} をインターネット上で名前解決してパブリックアドレス {addresses} を返します。サブネットにはインターネットへの経路がないため、これらのアドレスへの SYN にはいずれも応答がなく、エージェントはタイムアウトします。"
        case .noEndpointNoRoute:
            "AmazonProvidedDNS 自体が {hosts} に対してパブリックアドレスを返しています。つまり、この VPC にはプライベート DNS が有効なインターフェイス VPC エンドポイントがありません (またはプライベート DNS が無効です)。NAT ゲートウェイもインターネットゲートウェイもないため、{addresses} への SYN には応答がありません。"
        case .endpointUnreachable:
            "名前は VPC エンドポイントのプライベートアドレス {addresses} に正しく解決されていますが、ポート {port} への SYN に SYN-ACK が返ってきません。よくある原因は、エンドポイントのセキュリティグループが {clients} からの TCP {port} のインバウンドを許可していないことです。ネットワーク ACL やファイアウォールアプライアンスを経由するルートでも破棄されることがあります。"
        case .connectionRefused:
            "{addresses} のポート {port} への SYN に RST が返されています。そのアドレスでは接続を受け付けていません。エンドポイント以外のアドレス (古い hosts エントリ、誤った DNS レコード) であるか、ファイアウォールが接続を拒否しています。"
        case .tlsFailure:
            "TCP 接続は確立しますが、{addresses} との TLS ハンドシェイクが完了しません ({alert})。TLS インスペクションを行うプロキシやファイアウォールが独自の証明書を提示してエージェントに信頼されていないか、中継機器が ClientHello を破棄しています。Go 1.24 以降 (エージェントを含む) は耐量子の X25519MLKEM768 鍵共有を送るため ClientHello が約 1.5 KB になり、2 つの TCP セグメントに分割されます。最初のセグメントだけで SNI を照合するファイアウォール (`ssl_state:client_hello` のない AWS Network Firewall のルールなど) はこれを破棄します。エージェントに `GODEBUG=tlsmlkem=0` を設定すると ClientHello は 1 セグメントに収まります。"
        case .connectionReset:
            "{addresses} への接続は確立した後にリセットされています。SNI を見て宛先を拒否するファイアウォールやプロキシ、中継機器のアイドルタイムアウト、誤ったターゲットを指すロードバランサーなどが原因になります。"
        case .dnsUnreachable:
            "{resolvers} への {hosts} のクエリに応答がありません。DNS サーバーが停止しているか、到達できない (セキュリティグループ、ネットワーク ACL、ルート) か、インスタンスからのクエリを黙って破棄しています。AmazonProvidedDNS の場合はまれで、インスタンス上のファイアウォールが疑われます。"
        case .dnsError:
            "{resolvers} は {hosts} のクエリに {rcode} を返しています。NXDOMAIN は amazonaws.com のプライベートホストゾーンや、その名前を知らない条件付きフォワーダーが原因であることが多く、SERVFAIL は上位の DNS サーバーに到達できないフォワーダーが原因であることが多いです。"
        case .noSSMTraffic:
            "ssm、ssmmessages、ec2messages の DNS クエリも接続も見られません。エージェントが停止しているか、別のインターフェイスでキャプチャしたか、キャプチャが短すぎる可能性があります。エージェントは失敗後、数分おきに再試行します。"
        case .healthyVPCEndpoint:
            "SSM のホスト名はプライベートアドレス {addresses} に解決され、TLS ハンドシェイクも完了しています。通信はインターフェイスエンドポイントを経由して VPC 内にとどまっています。"
        case .healthyInternet:
            "SSM のホスト名はパブリックアドレス {addresses} に解決され、TLS ハンドシェイクも完了しています。通信は NAT ゲートウェイまたはインターネットゲートウェイを経由して VPC の外に出ています。"
        case .healthyProxy:
            "エージェントは {hosts} への CONNECT リクエストをプロキシ {addresses} に送り、トンネル内の TLS ハンドシェイクも完了しています。"
        case .resolverFallback:
            "{resolvers} へのクエリの一部に応答がなく、同じ名前が別のサーバーに問い合わされています。フォールバックのたびにエージェントはリゾルバーのタイムアウト分 (数秒) 待たされ、2 台目のサーバーの応答が異なる場合もあります。"
        case .nonAmazonResolver:
            "{resolvers} は AmazonProvidedDNS ではありません。リージョンの amazonaws.com の名前を VPC 内の Route 53 Resolver インバウンドエンドポイントに転送している場合にのみ正しく動作し、そうでなければ VPC エンドポイントの名前はパブリックアドレスに解決されます。"
        case .noDNSSeen:
            "エージェントはキャプチャ内に DNS クエリがないまま {hosts} に接続しています。キャプチャ開始前にキャッシュされた応答、hosts ファイルのエントリ、またはキャプチャしていない経路のリゾルバーを使用しています。hosts ファイル (`C:\\Windows\\System32\\drivers\\etc\\hosts`、`/etc/hosts`) を確認してください。"
        case .ec2messagesInUse:
            "エージェントは {hosts} を使用しています。このバージョンのエージェントには ssm と ssmmessages に加えて ec2messages の VPC エンドポイントも必要です。"
        case .captureIncomplete:
            "スナップ長でフレームが切り詰められたか、ファイルがレコードの途中で終わっているか、キャプチャ開始時にすでに通信中のフローがありました。それらのフローに関する結論は不確かです。"
        case .limitsHit:
            "フロー追跡の上限によりフローまたは DNS トランザクションが破棄されました。件数は下のカウンターを参照してください。上限を引き上げるか、キャプチャをインスタンスの通信に絞り込んでください。"
        }
    }

    static func remedyTitle(_ code: RemedyCode) -> String {
        switch code {
        case .route53InboundEndpointForwarder: "Route 53 Resolver インバウンドエンドポイントと AD DNS の条件付きフォワーダー (推奨)"
        case .hostsFileEntries: "エンドポイントのアドレスを hosts ファイルに記載 (テストと一時対応のみ)"
        case .natGateway: "サブネットに NAT ゲートウェイを用意"
        case .createInterfaceEndpoints: "プライベート DNS を有効にしたインターフェイス VPC エンドポイントを作成"
        case .endpointSecurityGroup: "エンドポイントのセキュリティグループで HTTPS を許可"
        case .checkNACLAndRoutes: "ネットワーク ACL とルートテーブルを確認"
        case .checkProxyOrFirewall: "経路上のプロキシまたはファイアウォールを確認"
        case .tlsInspectionBypass: "SSM エンドポイントを TLS インスペクションの対象外にする"
        case .disablePostQuantumKeyShare: "エージェントの耐量子鍵共有を無効化"
        case .firewallClientHelloRule: "ClientHello を照合するファイアウォールルールを修正"
        case .useAmazonProvidedDNS: "AmazonProvidedDNS を使用"
        case .checkDNSRecords: "DNS レコードと転送設定を確認"
        case .checkAgentRunning: "エージェントが実行中か確認"
        case .captureLonger: "エージェント起動前から長めにキャプチャ"
        case .raiseLimits: "ssmpath の追跡上限を引き上げる"
        }
    }

    static func remedyDetail(_ code: RemedyCode) -> String {
        switch code {
        case .route53InboundEndpointForwarder:
            "VPC に Route 53 Resolver インバウンドエンドポイント (2 つのアベイラビリティーゾーンの IP アドレス) を作成します。AD DNS サーバーで `{region}.amazonaws.com` (または `ssm.{region}.amazonaws.com`、`ssmmessages.{region}.amazonaws.com`、`ec2messages.{region}.amazonaws.com` のそれぞれ) の条件付きフォワーダーを作成し、転送先にインバウンドエンドポイントのアドレスを指定します。インバウンドエンドポイントのセキュリティグループでは AD DNS サーバーからの UDP と TCP の 53 番ポートを許可する必要があります。これで AD DNS は VPC エンドポイントのプライベートアドレスを返すようになります。"
        case .hostsFileEntries:
            "VPC エンドポイントのプライベートアドレスを調べ (たとえば AmazonProvidedDNS を使うインスタンスで `nslookup ssm.{region}.amazonaws.com 169.254.169.253`)、名前ごとに 1 行を hosts ファイルに追加します。Windows では `C:\\Windows\\System32\\drivers\\etc\\hosts`、Linux では `/etc/hosts` です。その後エージェントを再起動します。"
        case .natGateway:
            "パブリックサブネットに NAT ゲートウェイを配置し、インスタンスのサブネットから `0.0.0.0/0` をそこへルーティングします。エージェントはインターネット経由でパブリックの SSM エンドポイントに到達するようになります。"
        case .createInterfaceEndpoints:
            "`com.amazonaws.{region}.ssm`、`com.amazonaws.{region}.ssmmessages`、`com.amazonaws.{region}.ec2messages` のインターフェイス VPC エンドポイントを、プライベート DNS を有効にしてインスタンスのサブネットに作成します。VPC では enableDnsSupport と enableDnsHostnames が必要です。"
        case .endpointSecurityGroup:
            "インターフェイスエンドポイントのセキュリティグループに、{clients} (または VPC の CIDR) からの TCP 443 のインバウンドルールを追加します。"
        case .checkNACLAndRoutes:
            "両方のサブネットのネットワーク ACL で TCP 443 のアウトバウンドと、戻りのエフェメラルポート 1024-65535 のインバウンドを許可する必要があります。ルートテーブルがエンドポイントのサブネットへの通信を、通信を破棄するアプライアンス経由にしていないことも確認します。"
        case .checkProxyOrFirewall:
            "{addresses} として応答している、または通信を破棄している機器 (プロキシ、ファイアウォール、AWS Network Firewall、オンプレミスのゲートウェイ) を特定し、{region} の SSM エンドポイントへの HTTPS を許可します。"
        case .tlsInspectionBypass:
            "`ssm.{region}.amazonaws.com`、`ssmmessages.{region}.amazonaws.com`、`ec2messages.{region}.amazonaws.com` をプロキシまたはファイアウォールの TLS インスペクション除外リストに追加します。エージェントはサーバー証明書を独自のトラストストアで検証します。"
        case .disablePostQuantumKeyShare:
            "エージェントのサービスに環境変数 `GODEBUG=tlsmlkem=0` を設定して再起動します。Linux では systemd のドロップインに `Environment=GODEBUG=tlsmlkem=0` を記述し、Windows では `HKLM\\SYSTEM\\CurrentControlSet\\Services\\AmazonSSMAgent` に複数行文字列値 `Environment` を作成します。これで ClientHello は 1 つの TCP セグメントに収まります。"
        case .firewallClientHelloRule:
            "AWS Network Firewall (Suricata ルール) では SNI を `ssl_state:client_hello` と `flow:to_server,established` で照合し、厳密なルール順序ではデフォルトアクションに「すべてドロップ」ではなく「確立済みをドロップ」を使います。これで 2 つのセグメントに分割された ClientHello も再構成されてからルールが判定します。"
        case .useAmazonProvidedDNS:
            "VPC の DHCP オプションセットでインスタンスの DNS を AmazonProvidedDNS (VPC の基本アドレス + 2 または `169.254.169.253`) にするか、リージョンの amazonaws.com の名前を Route 53 Resolver インバウンドエンドポイントに転送します。"
        case .checkDNSRecords:
            "amazonaws.com または {hosts} を含むプライベートホストゾーンや条件付きフォワーダーがないか、フォワーダーの転送先が応答するかを確認します: `nslookup {hosts} {resolvers}`。"
        case .checkAgentRunning:
            "エージェントの状態を確認し (Linux では `systemctl status amazon-ssm-agent`、Windows では `Get-Service AmazonSSMAgent`)、キャプチャしながら再起動して最初の接続を記録します。"
        case .captureLonger:
            "エージェントを再起動する前にキャプチャを開始し、少なくとも 2 分間続け、パケット全体をキャプチャします (短いスナップ長は使わない)。"
        case .raiseLimits:
            "上限を引き上げて ssmpath を再実行するか (`ssmpath --help` を参照)、先にキャプチャをインスタンスのアドレスで絞り込みます。"
        }
    }

    static func remedyUseCase(_ code: RemedyCode) -> String? {
        switch code {
        case .route53InboundEndpointForwarder: "恒久的な対処。ドメインの DNS サーバーはそのままで、SSM の通信は VPC エンドポイントを経由します。"
        case .hostsFileEntries: "エンドポイントが機能するかの確認や、フォワーダーを設定するまでの 1 台だけの一時対応。"
        case .natGateway: "インスタンスがいずれにせよインターネットアクセスを必要とし、プライベート接続が必須でない場合。"
        default: nil
        }
    }

    static func remedyCaveat(_ code: RemedyCode) -> String? {
        switch code {
        case .route53InboundEndpointForwarder: "インバウンドエンドポイントは IP アドレス (ENI) ごとに時間単位で課金され (最低 2 つ)、クエリごとの料金もかかります。AD DNS サーバーの設定変更が必要です。"
        case .hostsFileEntries: "エンドポイントが再作成されてアドレスが変わると、警告なしに動作しなくなります。すべてのインスタンスで最新に保つ必要があります。"
        case .natGateway: "通信は VPC エンドポイントではなくインターネットを経由します。NAT ゲートウェイの時間料金とデータ処理料金 (GB 単位) がかかります。"
        default: nil
        }
    }

    static func agentLog(_ code: FindingCode) -> String? {
        switch code {
        case .resolverBypassesEndpoint, .noEndpointNoRoute, .endpointUnreachable:
            "どのリクエストも、DNS サーバーが返したアドレスへの接続タイムアウトで終わります。"
        case .connectionRefused: "どのリクエストも SYN が拒否された時点で終わります。"
        case .tlsFailure: "TLS ハンドシェイクが失敗するか、完了しません。"
        case .connectionReset: "エージェントの接続がリセットされます。"
        case .dnsUnreachable: "名前解決そのものがタイムアウトします。"
        case .dnsError: "名前解決が失敗します。"
        case .noSSMTraffic: "エージェントが実行中なのに通信がない場合は、ログにその理由 (インスタンスプロファイルの認証情報がないなど) が記録されます。ログが空ならエージェントは停止しています。"
        default: nil
        }
    }

    static func evidenceKind(_ kind: EvidenceItem.Kind) -> String {
        switch kind {
        case .dnsQuery: "DNS クエリ"
        case .dnsResponse: "DNS 応答"
        case .dnsTimeout: "応答のない DNS クエリ"
        case .syn: "SYN"
        case .synRetransmit: "SYN の再送"
        case .synAck: "SYN-ACK"
        case .reset: "リセット (RST)"
        case .clientHello: "TLS ClientHello"
        case .serverHello: "TLS ServerHello"
        case .alert: "TLS アラート"
        case .connect: "HTTP CONNECT"
        case .established: "TLS 確立"
        }
    }

    static func labelDescription(_ label: FlowLabel) -> String {
        switch label {
        case .vpcEndpoint: "VPC エンドポイント経由"
        case .natInternet: "インターネット経由"
        case .proxy: "プロキシ経由"
        case .timeout: "SYN に応答なし"
        case .refused: "拒否 (SYN に RST)"
        case .tlsFailed: "TLS ハンドシェイク失敗"
        case .reset: "接続後にリセット"
        case .incomplete: "キャプチャ内で未完了"
        }
    }
}
