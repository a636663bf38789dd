import Foundation

// Writes a text file into a Swift source as a raw string literal, at build time:
//   EmbedResource INPUT OUTPUT TYPE
// gives `public enum TYPE { public static let json = #"""…"""# }` with as many #s as the text
// needs. The EmbedOpenAPI plugin runs it so that the API document is edited as a JSON file and
// still travels inside the one binary.
let arguments = CommandLine.arguments
guard arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: EmbedResource INPUT OUTPUT TYPE\n".utf8))
    exit(2)
}
let text = try String(contentsOf: URL(fileURLWithPath: arguments[1]), encoding: .utf8)
var hashes = "#"
while text.contains("\"" + hashes) || text.contains(hashes + "\"") { hashes += "#" }
let source = """
    // Generated at build time from \(URL(fileURLWithPath: arguments[1]).lastPathComponent) by the EmbedOpenAPI plugin: edit that file.
    public enum \(arguments[3]) {
        public static let json = \(hashes)\"\"\"
    \(text.hasSuffix("\n") ? String(text.dropLast()) : text)
    \"\"\"\(hashes)
    }

    """
let output = URL(fileURLWithPath: arguments[2])
// Written only when it changes, so that the server target is not rebuilt for nothing.
if (try? String(contentsOf: output, encoding: .utf8)) != source {
    try source.write(to: output, atomically: true, encoding: .utf8)
}
