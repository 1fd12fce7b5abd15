import Correlate

// MARK: - Inline stylesheet and label colours

enum LabelColor {
    /// Fill colour of a connection attempt by label (also used for the table badges).
    static func fill(_ label: FlowLabel) -> String {
        switch label {
        case .vpcEndpoint: "#2e7d32"
        case .natInternet: "#1565c0"
        case .proxy: "#6a1b9a"
        case .timeout: "#c62828"
        case .refused: "#ef6c00"
        case .tlsFailed: "#ad1457"
        case .reset: "#b8860b"
        case .incomplete: "#757575"
        }
    }
}

extension HTMLReport {
    static var css: String {
        var labelRules = ""
        for label in FlowLabel.allCases {
            labelRules += ".l-\(label.rawValue){background:\(LabelColor.fill(label))}\n"
        }
        return """
        :root{color-scheme:light;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#fff;--code:#f6f8fa}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK JP","Hiragino Sans","Yu Gothic",Meiryo,sans-serif;-webkit-text-size-adjust:100%}
        main{max-width:62rem;margin:0 auto;padding:1rem}
        h1{font-size:1.5rem;margin:.5rem 0 1rem}
        h2{font-size:1.25rem;margin:2rem 0 .5rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}
        h3{font-size:1.1rem;margin:1.25rem 0 .5rem}
        h4{font-size:1rem;margin:1rem 0 .25rem}
        small{color:var(--muted);font-weight:normal}
        p,li{overflow-wrap:anywhere}
        code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Noto Sans Mono CJK JP",monospace;font-size:.875em}
        code{background:var(--code);padding:.1em .3em;border-radius:4px}
        pre{background:var(--code);padding:.75rem;border-radius:6px;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere}
        pre code{background:none;padding:0}
        .verdict{font-size:1.15rem;font-weight:600;padding:.9rem 1rem;border-radius:8px;border-left:6px solid;margin:0 0 1rem}
        .verdict.error{background:#ffebe9;border-color:#cf222e}
        .verdict.warning{background:#fff8c5;border-color:#bf8700}
        .verdict.info{background:#ddf4ff;border-color:#0969da}
        .verdict.ok{background:#dafbe1;border-color:#1a7f37}
        .badge{display:inline-block;font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;padding:.1rem .45rem;border-radius:999px;background:var(--fg);color:#fff;vertical-align:.1em}
        .scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.5rem 0 1rem;border:1px solid var(--line);border-radius:6px}
        table{border-collapse:collapse;width:100%;font-size:.9rem}
        th,td{text-align:left;vertical-align:top;padding:.35rem .6rem;border-bottom:1px solid var(--line)}
        th{background:var(--code);white-space:nowrap}
        tr:last-child td{border-bottom:none}
        td.num{white-space:nowrap;font-variant-numeric:tabular-nums}
        td.name{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem;overflow-wrap:anywhere;min-width:9rem}
        td.wide{min-width:14rem}
        .label{display:inline-block;color:#fff;border-radius:4px;padding:0 .35rem;font-size:.8rem;white-space:nowrap;margin:1px 0}
        \(labelRules)
        article.finding{border:1px solid var(--line);border-left:5px solid var(--muted);border-radius:6px;padding:.25rem 1rem .75rem;margin:1rem 0}
        article.finding.error{border-left-color:#cf222e}
        article.finding.warning{border-left-color:#bf8700}
        article.finding.info{border-left-color:#0969da}
        ul.legend{list-style:none;padding:0;margin:.25rem 0 1rem;display:flex;flex-wrap:wrap;gap:.25rem 1rem;font-size:.85rem}
        ul.legend li{display:flex;align-items:center;gap:.35rem}
        .swatch{display:inline-block;width:1.6rem;height:.7rem;border-radius:2px;-webkit-print-color-adjust:exact;print-color-adjust:exact}
        .timeline{overflow-x:auto;border:1px solid var(--line);border-radius:6px;margin:.5rem 0}
        .timeline svg{display:block;min-width:44rem;width:100%;height:auto}
        figure{margin:0}
        a{color:#0969da}
        figcaption{color:var(--muted);font-size:.85rem;margin:.25rem 0 1rem}
        footer{margin:2rem 0 1rem;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line);padding-top:.5rem}
        @media (max-width:40rem){
          body{font-size:15px}main{padding:.6rem}h1{font-size:1.3rem}.verdict{font-size:1.05rem}
          .scroll{border:none;overflow-x:visible}
          .scroll table,.scroll tbody,.scroll tr,.scroll td{display:block;width:100%}
          .scroll thead{display:none}
          .scroll tr{border:1px solid var(--line);border-radius:6px;margin:0 0 .5rem;padding:.25rem 0}
          .scroll td{display:grid;grid-template-columns:6rem 1fr;gap:.5rem;border:none;padding:.15rem .6rem;min-width:0}
          .scroll td::before{content:attr(data-label);font-family:system-ui,sans-serif;font-weight:600;color:var(--muted);font-size:.8rem}
          td.num{white-space:normal}
          article.finding{padding:.1rem .6rem .5rem}
          ol{padding-left:1.25rem}
          .scroll td>span,.scroll td>code{justify-self:start}
        }
        @media print{
          body{font-size:11pt}
          main{max-width:none;padding:0}
          .scroll,.timeline{overflow:visible;border:none}
          .timeline svg{min-width:0}
          article.finding,table,figure,pre{break-inside:avoid}
          h2,h3,h4{break-after:avoid}
          .verdict,.label,.badge{-webkit-print-color-adjust:exact;print-color-adjust:exact}
        }

        """
    }
}
