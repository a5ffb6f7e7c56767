using System.Diagnostics;
using System.Text.Json;
using Oxidation.Cli.Tests;
using Oxidation.Store;

namespace Oxidation.Reports.Tests;

/// <summary>
/// A claims file may come from someone else: its <c>sql</c> form sees the database's tables and nothing else of the
/// machine, never reaches for the network, and its errors never quote what the query read (issue 10, items 1 and 3).
/// </summary>
public sealed class ClaimsSecurityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("oxidation-claims-security-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>What a leak of /etc/passwd would show: its first line (root's entry on any Linux).</summary>
    private static readonly string Passwd = File.ReadLines("/etc/passwd").First();

    private const string Secret = "hunter2-in-the-database";

    private string Database()
    {
        var path = Path.Combine(_dir, "o.duckdb");
        using var db = OxidationDatabase.Open(path);
        db.Execute($"INSERT INTO meta VALUES ('secret', '{Secret}')");
        return path;
    }

    private string Claims(params (string Id, string Sql)[] claims)
    {
        var path = Path.Combine(_dir, "claims.yaml");
        File.WriteAllText(path, "claims:\n" + string.Concat(claims.Select(c =>
            $"  - id: {c.Id}\n    claim: x\n    query:\n      sql: \"{c.Sql.Replace("\"", "\\\"", StringComparison.Ordinal)}\"\n    expect: {{ atLeast: 0 }}\n")));
        return path;
    }

    private static readonly (string Id, string Sql)[] Hostile =
    [
        ("read-text", "SELECT content FROM read_text('/etc/passwd')"),
        ("length", "SELECT length(content) FROM read_text('/etc/passwd')"),
        ("byte-by-byte", "SELECT ascii(substr(content, 1, 1)) FROM read_text('/etc/passwd')"),
        ("glob", "SELECT count(*) FROM glob('/root/*')"),
        ("cast", "SELECT CAST(content AS INTEGER) FROM read_text('/etc/passwd')"),
        ("csv", "SELECT count(*) FROM read_csv('/etc/passwd', sep = ':')"),
        ("replacement-scan", "SELECT count(*) FROM '/etc/passwd'"),
        ("nested", "SELECT (SELECT length(content) FROM read_text('/etc/passwd')) + 0"),
        ("query-function", "SELECT count(*) FROM query('SELECT 1')"),
        ("with", "WITH t AS (SELECT * FROM read_blob('/etc/passwd')) SELECT count(*) FROM t"),
    ];

    [Fact]
    public void Claims_sql_cannot_read_files_outside_the_database()
    {
        var db = Database();
        var (exit, stdout, error) = CliRunner.Run(_dir, "--db", db, "check", Claims(Hostile), "--json");
        Assert.Equal(1, exit);
        Assert.DoesNotContain(Passwd, stdout + error, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", stdout + error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(stdout);
        var verdicts = json.RootElement.EnumerateArray().ToDictionary(v => v.GetProperty("id").GetString()!, v => v);
        Assert.Equal(Hostile.Length, verdicts.Count);
        foreach (var (id, _) in Hostile)
        {
            Assert.Equal("invalid", verdicts[id].GetProperty("verdict").GetString());
            Assert.Equal(JsonValueKind.Null, verdicts[id].GetProperty("value").ValueKind);
        }
        var claims = Path.Combine(_dir, "claims.yaml");
        Assert.Contains($"oxidation: error: {claims}:5: claim 'read-text': query.sql may read only Oxidation's tables, not read_text(…)\n", error);
        Assert.Contains($"oxidation: error: {claims}:20: claim 'glob': query.sql may read only Oxidation's tables, not glob(…)\n", error);
        Assert.Contains($"oxidation: error: {claims}:35: claim 'replacement-scan': query.sql may read only Oxidation's tables, not '/etc/passwd'\n", error);
        Assert.Contains($"oxidation: error: {claims}:45: claim 'query-function': query.sql may read only Oxidation's tables, not query(…)\n", error);
    }

    [Fact]
    public void Claims_sql_from_report_writes_no_file_contents_into_the_report()
    {
        var db = Database();
        var (exit, _, error) = CliRunner.Run(_dir, "--db", db, "report", "--claims", Claims(Hostile), "--out", "r");
        Assert.True(exit == 0, error);
        foreach (var file in new[] { "index.html", "report.md", "data/claims.json" })
        {
            var text = File.ReadAllText(Path.Combine(_dir, "r", file));
            Assert.Contains("read_text", text, StringComparison.Ordinal); // the claim is there, as written
            Assert.DoesNotContain(Passwd, text, StringComparison.Ordinal);
            Assert.DoesNotContain("root:x", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Claims_sql_errors_never_echo_a_value_the_query_read()
    {
        var db = Database();
        var claims = Claims(
            ("failed-cast", $"SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'secret'"),
            ("not-a-number", "SELECT value FROM meta WHERE key = 'secret'"),
            ("error-function", "SELECT error(value) FROM meta WHERE key = 'secret'"),
            ("good", "SELECT count(*) FROM meta WHERE starts_with(value, 'hunter2')"));
        var (exit, stdout, error) = CliRunner.Run(_dir, "--db", db, "check", claims);
        Assert.Equal(1, exit);
        Assert.DoesNotContain("hunter2", stdout + error, StringComparison.Ordinal);
        Assert.Contains($"oxidation: error: {claims}:5: claim 'failed-cast': query.sql failed while running (Conversion Error; the message is withheld: it may quote data the query read)\n", error);
        Assert.Contains($"oxidation: error: {claims}:10: claim 'not-a-number': query.sql must return a number or a boolean, not VARCHAR\n", error);
        Assert.Contains($"oxidation: error: {claims}:15: claim 'error-function': query.sql may not call error()\n", error);
        Assert.Contains("HOLDS        good: x\n", stdout);
    }

    [Fact]
    public void Claims_sql_errors_about_the_query_itself_still_say_what_is_wrong()
    {
        var db = Database();
        var claims = Claims(
            ("table-typo", "SELECT count(*) FROM rust_unitz"),
            ("column-typo", "SELECT count(nmae) FROM rust_units"),
            ("syntax", "SELECT count(* FROM rust_units"),
            ("fine", "SELECT count(*) FROM rust_units r, unnest(r.files) AS f(p) WHERE p LIKE '%.rs'"));
        var (exit, stdout, error) = CliRunner.Run(_dir, "--db", db, "check", claims);
        Assert.Equal(1, exit);
        Assert.Contains($"oxidation: error: {claims}:5: claim 'table-typo': query.sql may read only Oxidation's tables, not rust_unitz\n", error);
        Assert.Contains($"oxidation: error: {claims}:10: claim 'column-typo': query.sql failed: Binder Error: Referenced column \"nmae\" not found in FROM clause!", error);
        Assert.Contains($"oxidation: error: {claims}:15: claim 'syntax': query.sql failed: Parser Error: syntax error at or near \"FROM\"", error);
        Assert.Contains("HOLDS        fine: x\n", stdout);
    }

    [Fact]
    public void Claims_sql_reading_a_url_is_refused_without_reaching_for_the_network()
    {
        var db = Database();
        // An address that is never answered: a connection attempt would hang for seconds.
        var claims = Claims(("csv", "SELECT count(*) FROM read_csv('http://10.255.255.1/x.csv')"), ("parquet", "SELECT count(*) FROM 'https://10.255.255.1/x.parquet'"));
        var extensions = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".duckdb", "extensions");
        var before = Directory.Exists(extensions) ? Directory.GetFiles(extensions, "*", SearchOption.AllDirectories).Length : 0;
        var clock = Stopwatch.StartNew();
        var (exit, _, error) = CliRunner.Run(_dir, "--db", db, "check", claims);
        Assert.Equal(1, exit);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Contains($"oxidation: error: {claims}:5: claim 'csv': query.sql may read only Oxidation's tables, not read_csv(…)\n", error);
        Assert.Contains($"oxidation: error: {claims}:10: claim 'parquet': query.sql may read only Oxidation's tables, not 'https://10.255.255.1/x.parquet'\n", error);
        Assert.DoesNotContain("httpfs", error, StringComparison.Ordinal);
        Assert.Equal(before, Directory.Exists(extensions) ? Directory.GetFiles(extensions, "*", SearchOption.AllDirectories).Length : 0);
    }

    [Fact]
    public void Every_connection_has_external_access_and_extension_loading_off()
    {
        using var db = OxidationDatabase.Open(Path.Combine(_dir, "plain.duckdb"));
        // Not only the claims path: the store's own connection cannot read the machine or install anything.
        var error = Assert.Throws<DuckDB.NET.Data.DuckDBException>(() => db.Query("SELECT content FROM read_text('/etc/passwd')"));
        Assert.StartsWith("Permission Error: Cannot access file \"/etc/passwd\" - file system operations are disabled by configuration", error.Message, StringComparison.Ordinal);
        Assert.Equal([false, false, false, true], db.Query(
            "SELECT current_setting('enable_external_access'), current_setting('autoload_known_extensions'), current_setting('autoinstall_known_extensions'), current_setting('lock_configuration')")[0]);
        Assert.Throws<DuckDB.NET.Data.DuckDBException>(() => db.Execute("SET enable_external_access = true"));
    }
}
