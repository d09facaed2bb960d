import ArgumentParser
import PledgeCore

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the JSON Schema of pledge.yaml, for editors to validate and autocomplete.")

    func run() {
        print(JSONSchemaExporter.declarationSchema(), terminator: "")
    }
}
