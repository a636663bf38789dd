import Foundation
import GRDB
import PostgresNIO

extension SQLiteStore {
    public func schemaShape() async throws -> [String] {
        try read { db in
            var lines: [String] = []
            let tables = try Row.fetchAll(db, sql: """
                SELECT name, wr, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'
                """)
            for table in tables {
                let name: String = table[0]
                lines.append("table \(name)\((table[1] as Int) == 1 ? " without rowid" : "")\((table[2] as Int) == 1 ? " strict" : "")")
                for column in try Row.fetchAll(db, sql: "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo(?)", arguments: [name]) {
                    let notNull = (column[2] as Int) == 1 ? " not null" : ""
                    let value = (column[3] as String?).map { " default \($0)" } ?? ""
                    let key = (column[4] as Int) > 0 ? " key \(column[4] as Int)" : ""
                    lines.append("column \(name).\(column[0] as String) \(column[1] as String)\(notNull)\(value)\(key)")
                }
                for reference in try Row.fetchAll(db, sql: "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?)", arguments: [name]) {
                    lines.append("reference \(name).\(reference[1] as String) -> \(reference[0] as String).\(reference[2] as String? ?? "")")
                }
                for index in try Row.fetchAll(db, sql: "SELECT name, \"unique\", origin FROM pragma_index_list(?)", arguments: [name]) {
                    let indexName: String = index[0]
                    let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info(?) ORDER BY seqno", arguments: [indexName])
                    let origin: String = index[2]
                    // Keys' and uniques' own indexes are named by SQLite after the table's first name.
                    let label = origin == "c" ? indexName : origin
                    let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?", arguments: [indexName])
                    let predicate = sql.flatMap { text in text.range(of: " WHERE ").map { " where " + text[$0.upperBound...] } } ?? ""
                    lines.append("index \(label) on \(name)(\(columns.joined(separator: ", ")))\((index[1] as Int) == 1 ? " unique" : "")\(predicate)")
                }
                if let check = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", arguments: [name]),
                   let range = check.range(of: "CHECK (") {
                    let rest = check[range.lowerBound...]
                    lines.append("check \(name) \(rest.prefix { $0 != ")" }))")
                }
            }
            return lines.sorted()
        }
    }
}

extension PostgresStore {
    public func schemaShape() async throws -> [String] {
        var lines: [String] = []
        for try await (table, column, type, nullable, value, identity) in try await client.run("""
            SELECT table_name::text, column_name::text, data_type::text, is_nullable::text, column_default::text, is_identity::text
            FROM information_schema.columns WHERE table_schema = current_schema()
            """, logger).decode((String, String, String, String, String?, String).self) {
            let notNull = nullable == "NO" ? " not null" : ""
            lines.append("column \(table).\(column) \(type)\(notNull)\(value.map { " default \($0)" } ?? "")\(identity == "YES" ? " identity" : "")")
        }
        for try await (table, name, definition) in try await client.run("""
            SELECT c.conrelid::regclass::text, c.conname::text, pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema()
            """, logger).decode((String, String, String).self) {
            lines.append("constraint \(table).\(name) \(definition)")
        }
        for try await (name, definition) in try await client.run("""
            SELECT indexname::text, indexdef FROM pg_indexes WHERE schemaname = current_schema()
            """, logger).decode((String, String).self) {
            // The definition names the table with its schema, which differs between databases.
            lines.append("index \(name) \(definition.replacingOccurrences(of: #"ON [^ ]+\."#, with: "ON ", options: .regularExpression))")
        }
        return lines.sorted()
    }
}
