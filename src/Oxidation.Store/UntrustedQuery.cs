using System.Text.Json;
using DuckDB.NET.Data;

namespace Oxidation.Store;

/// <summary>An untrusted query was refused or failed; the message quotes the query, never data it read.</summary>
public sealed class UntrustedQueryException(string message) : Exception(message);

/// <summary>The first value an untrusted query returned, with its DuckDB type (e.g. <c>BIGINT</c>, <c>VARCHAR</c>).</summary>
public sealed record UntrustedValue(object? Value, string Type);

/// <summary>
/// The one path for SQL that Oxidation did not write (a claims file's <c>sql</c> form, which may come from anyone):
/// a single SELECT, checked on DuckDB's own parse tree (<c>json_serialize_sql</c>) against an allow-list before it
/// runs, on a connection whose database has external access off (<see cref="OxidationDatabase"/>), in a transaction
/// that is always rolled back. See docs/claims.md and DuckDB's "Securing DuckDB" page.
/// </summary>
internal static class UntrustedQuery
{
    /// <summary>Table functions a claim may call: they make rows from values, never from outside the database.</summary>
    private static readonly HashSet<string> TableFunctions = new(StringComparer.OrdinalIgnoreCase) { "unnest", "range", "generate_series" };

    /// <summary>
    /// Built-in functions a claim may not call although they read nothing outside: the session's settings (paths of the
    /// machine among them) and <c>error()</c>, whose message would be a value the query read.
    /// </summary>
    private static readonly HashSet<string> Denied = new(StringComparer.OrdinalIgnoreCase) { "current_setting", "getvariable", "error" };

    /// <summary>DuckDB's error kinds raised while parsing and binding: about the query text, safe to show.</summary>
    private static readonly string[] QueryErrors = ["Parser Error:", "Binder Error:", "Catalog Error:"];

    public static UntrustedValue? Run(OxidationDatabase db, string sql, IReadOnlyDictionary<string, object> parameters)
    {
        var statement = sql.Trim().TrimEnd(';').Trim();
        var head = statement.TrimStart('(').TrimStart();
        if (!(head.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) || head.StartsWith("WITH", StringComparison.OrdinalIgnoreCase)))
            throw new UntrustedQueryException("must be a single SELECT (or WITH … SELECT) statement");
        // The database's settings are the first wall; refuse to run at all on a connection someone opened without them.
        if (db.Query("SELECT current_setting('enable_external_access') OR NOT current_setting('lock_configuration')")[0][0] is not false)
            throw new InvalidOperationException($"{db.Path}: opened with external access on; untrusted SQL refused");
        Check(db, statement);
        using var tx = db.Connection.BeginTransaction();
        try
        {
            using var cmd = db.Connection.CreateCommand();
            cmd.CommandText = statement;
            foreach (var (name, value) in parameters)
                cmd.Parameters.Add(new DuckDBParameter(name, value));
            using var reader = cmd.ExecuteReader();
            if (!reader.Read() || reader.FieldCount == 0)
                return null;
            return new UntrustedValue(reader.IsDBNull(0) ? null : reader.GetValue(0), reader.GetDataTypeName(0).ToUpperInvariant());
        }
        catch (DuckDBException ex)
        {
            var first = OxidationDatabase.FirstLine(ex.Message);
            if (QueryErrors.Any(e => first.StartsWith(e, StringComparison.Ordinal)))
                throw new UntrustedQueryException("failed: " + first);
            // A conversion, range or any error while running may quote a value the query read: say only its kind.
            var colon = first.IndexOf(':', StringComparison.Ordinal);
            var kind = colon > 0 && first[..colon].EndsWith(" Error", StringComparison.Ordinal) && first[..colon].All(c => char.IsLetter(c) || c == ' ') ? first[..colon] : "DuckDB error";
            throw new UntrustedQueryException($"failed while running ({kind}; the message is withheld: it may quote data the query read)");
        }
        finally
        {
            tx.Rollback();
        }
    }

    /// <summary>Walks DuckDB's parse tree of <paramref name="statement"/>: only Oxidation's tables, allowed table functions, built-in functions.</summary>
    private static void Check(OxidationDatabase db, string statement)
    {
        var tree = db.Query("SELECT json_serialize_sql($1::VARCHAR)", statement)[0][0] as string ?? "{}";
        using var json = JsonDocument.Parse(tree);
        var root = json.RootElement;
        if (root.GetProperty("error").GetBoolean() || root.GetProperty("statements").GetArrayLength() != 1)
        {
            // A syntax error: DuckDB's own message names the place, and the query text is the user's.
            if (root.TryGetProperty("error_type", out var type) && type.GetString() == "parser")
                throw new UntrustedQueryException("failed: Parser Error: " + OxidationDatabase.FirstLine(root.GetProperty("error_message").GetString() ?? ""));
            throw new UntrustedQueryException("must be a single SELECT (or WITH … SELECT) statement");
        }
        var tables = OxidationDatabase.Tables.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var functions = db.Query("SELECT DISTINCT function_name FROM duckdb_functions() WHERE internal AND function_type IN ('scalar', 'aggregate', 'macro')")
            .Select(r => (string)r[0]!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Walk(root, [], tables, functions);
    }

    private static void Walk(JsonElement node, List<string> ctes, HashSet<string> tables, HashSet<string> functions)
    {
        if (node.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in node.EnumerateArray())
                Walk(child, ctes, tables, functions);
            return;
        }
        if (node.ValueKind != JsonValueKind.Object)
            return;
        var added = 0;
        if (node.TryGetProperty("cte_map", out var map) && map.TryGetProperty("map", out var entries))
        {
            foreach (var e in entries.EnumerateArray())
            {
                ctes.Add(e.GetProperty("key").GetString() ?? "");
                added++;
            }
        }
        var type = node.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var cls = node.TryGetProperty("class", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        switch (type)
        {
            case "BASE_TABLE":
                var name = node.GetProperty("table_name").GetString() ?? "";
                var schema = node.GetProperty("schema_name").GetString() ?? "";
                var catalog = node.GetProperty("catalog_name").GetString() ?? "";
                var cte = schema.Length == 0 && catalog.Length == 0 && ctes.Contains(name, StringComparer.OrdinalIgnoreCase);
                if (!cte && (!tables.Contains(name) || schema is not ("" or "main") || catalog.Length > 0))
                    throw new UntrustedQueryException($"may read only Oxidation's tables, not {Quote(catalog, schema, name)}");
                break;
            case "TABLE_FUNCTION":
                var function = node.GetProperty("function");
                var fname = function.GetProperty("function_name").GetString() ?? "";
                if (!TableFunctions.Contains(fname) || (function.GetProperty("schema").GetString() ?? "") is not "")
                    throw new UntrustedQueryException($"may read only Oxidation's tables, not {fname}(…)");
                Walk(function.GetProperty("children"), ctes, tables, functions);
                ctes.RemoveRange(ctes.Count - added, added);
                return;
            case "SHOW_REF":
                throw new UntrustedQueryException("may read only Oxidation's tables, not DESCRIBE/SUMMARIZE/SHOW");
        }
        if (cls is "FUNCTION" or "WINDOW" && node.TryGetProperty("function_name", out var f))
        {
            var fname = f.GetString() ?? "";
            var fschema = node.TryGetProperty("schema", out var s) ? s.GetString() ?? "" : "";
            var operatorName = node.TryGetProperty("is_operator", out var op) && op.ValueKind == JsonValueKind.True;
            if (Denied.Contains(fname) || (!operatorName && cls == "FUNCTION" && !functions.Contains(fname) && !IsInternalAlias(fname)) || fschema is not ("" or "main" or "pg_catalog"))
                throw new UntrustedQueryException($"may not call {fname}()");
        }
        foreach (var property in node.EnumerateObject())
            Walk(property.Value, ctes, tables, functions);
        ctes.RemoveRange(ctes.Count - added, added);
    }

    /// <summary>Names the parser gives built-ins that <c>duckdb_functions()</c> does not list (count(*), list literals, operators).</summary>
    private static bool IsInternalAlias(string name) => name is "count_star" or "list_value" or "struct_pack" or "row" || !name.Any(char.IsLetter);

    private static string Quote(string catalog, string schema, string name) =>
        name.Contains('/', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal) || name.Contains('.', StringComparison.Ordinal)
            ? $"'{name}'"
            : string.Join('.', new[] { catalog, schema, name }.Where(p => p.Length > 0));
}
