import ArgumentParser
import Correlate
import Foundation
import Report

/// `ssmpath endpoints --region R`: the names the SSM agent contacts in a region and what each is for.
struct Endpoints: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the endpoint names the SSM agent contacts in a region, and what each is for."
    )

    @Option(name: .long, help: "AWS region, e.g. ap-northeast-1, us-gov-west-1, cn-north-1.")
    var region: String

    @Option(name: .long, help: "Output format: text, markdown or json.")
    var format: ReportFormat = .text

    @Option(name: .long, help: "Language: en or ja.")
    var lang: ReportLanguage = .en

    func validate() throws {
        if EndpointCatalog.names(region: region).isEmpty {
            throw ValidationError("--region \(region): not an AWS region name such as ap-northeast-1 or us-gov-west-1")
        }
    }

    func run() throws {
        let entries = EndpointCatalog.names(region: region)
        let text = EndpointListWriter.render(entries, region: region, format: format, language: lang)
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
