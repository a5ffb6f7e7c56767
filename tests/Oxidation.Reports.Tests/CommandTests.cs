using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Oxidation.Cli.Tests;
using Oxidation.Git.Tests;
using Oxidation.Store;

namespace Oxidation.Reports.Tests;

/// <summary>report, serve and check as a user runs them, bad input included.</summary>
public sealed class CommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("oxidation-report-cmd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string EmptyDatabase()
    {
        var path = Path.Combine(_dir, "empty.duckdb");
        OxidationDatabase.Open(path).Dispose();
        return path;
    }

    [Fact]
    public void Report_on_an_empty_database_says_what_is_missing()
    {
        var db = EmptyDatabase();
        var (exit, _, error) = CliRunner.Run(_dir, "--db", db, "report", "--out", "r");
        Assert.Equal(0, exit);
        Assert.Contains("oxidation: note: no kernel tree scanned yet: run oxidation scan", error);
        var md = File.ReadAllText(Path.Combine(_dir, "r", "report.md"));
        Assert.Contains("> **Missing:** no CVE records imported yet: run oxidation cves import PATH", md);
        Assert.Contains("> **Missing:** no history mined yet: run oxidation history REPO", md);
        // Every claim about data that is not there: cannot tell, never a guess.
        Assert.Contains("24 claims from examples/claims/state-of-rust.yaml: 24 cannot tell.", md);
    }

    [Fact]
    public void A_missing_database_is_an_error_and_is_not_created()
    {
        var (exit, _, error) = CliRunner.Run(_dir, "--db", "nope.duckdb", "report");
        Assert.Equal(3, exit);
        Assert.Equal($"oxidation: error: {Path.Combine(_dir, "nope.duckdb")}: no such database (run oxidation scan or oxidation cves import first, or give --db)\n", error);
        Assert.False(File.Exists(Path.Combine(_dir, "nope.duckdb")));
    }

    [Fact]
    public void A_database_from_a_newer_Oxidation_is_refused_and_left_unchanged()
    {
        var db = EmptyDatabase();
        using (var open = OxidationDatabase.Open(db))
            open.Execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
        var before = SHA256.HashData(File.ReadAllBytes(db));
        foreach (var args in new[] { new[] { "report", "--out", "r" }, ["check", Path.Combine(Golden.RepositoryRoot(), "examples", "claims", "state-of-rust.yaml")], ["serve", "--port", "0"] })
        {
            var (exit, _, error) = CliRunner.Run(_dir, ["--db", db, .. args]);
            Assert.Equal(3, exit);
            Assert.Contains("written by a newer Oxidation (schema 99, this build knows 1); refusing to change it", error);
        }
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(db)));
    }

    [Fact]
    public void A_database_from_an_older_Oxidation_is_migrated()
    {
        var db = EmptyDatabase();
        using (var open = OxidationDatabase.Open(db))
        {
            // Before the history tables existed.
            foreach (var t in new[] { "history_commits", "history_trailers", "history_headers", "history_lines", "history_releases" })
                open.Execute($"DROP TABLE {t}");
        }
        var (exit, _, error) = CliRunner.Run(_dir, "--db", db, "report", "--out", "r");
        Assert.True(exit == 0, error);
        using var reopened = OxidationDatabase.OpenReadOnly(db);
        Assert.Equal(0L, reopened.Query("SELECT count(*) FROM history_commits")[0][0]);
    }

    [Fact]
    public void Serve_on_a_busy_port_says_so()
    {
        var db = EmptyDatabase();
        var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            var port = ((IPEndPoint)busy.LocalEndpoint).Port;
            var (exit, _, error) = CliRunner.Run(_dir, "--db", db, "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(2, exit);
            Assert.StartsWith($"oxidation: error: 127.0.0.1:{port} is busy (", error);
            Assert.EndsWith("); choose another port with --port\n", error);
        }
        finally
        {
            busy.Stop();
        }
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public void Serve_stops_promptly_and_cleanly_on_Ctrl_C_and_SIGTERM(string signal)
    {
        // Regression: Ctrl+C ended in an ObjectDisposedException from a ProcessExit handler (exit 134).
        var db = EmptyDatabase();
        using var serve = ServeProcess.Start(db);
        var stopped = serve.Signal(signal);
        Assert.NotNull(stopped);
        Assert.Equal((0, ""), stopped.Value);
    }

    [Fact]
    public async Task Serve_reads_the_database_live()
    {
        var db = EmptyDatabase();
        using var serve = ServeProcess.Start(db);
        using var http = new HttpClient();
        var before = await http.GetStringAsync(serve.Url + "report.md");
        Assert.Contains("no CVE records imported yet", before);
        // Import while serving: the next request shows the records.
        var records = Directory.CreateDirectory(Path.Combine(_dir, "vulns", "cve", "published", "2025"));
        foreach (var (id, text) in new[] { ("CVE-2025-0001", "x: fix double free"), ("CVE-2025-0002", "y: fix a deadlock") })
        {
            File.WriteAllText(Path.Combine(records.FullName, id + ".json"),
                $"{{\"cveMetadata\": {{\"cveId\": \"{id}\"}}, \"containers\": {{\"cna\": {{\"descriptions\": [{{\"lang\": \"en\", \"value\": \"{text}\"}}]}}}}}}");
        }
        var (exit, _, error) = CliRunner.Run(_dir, "--db", db, "cves", "import", Path.Combine(_dir, "vulns"));
        Assert.True(exit == 0, error);
        var after = await http.GetStringAsync(serve.Url + "data/cves.json");
        Assert.Contains("\"published\": 2", after);
        var missing = await http.GetAsync(serve.Url + "nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public void Check_reports_bad_claims_with_file_line_and_id_and_evaluates_the_rest()
    {
        var db = EmptyDatabase();
        var claims = Path.Combine(_dir, "claims.yaml");
        File.WriteAllText(claims, """
            claims:
              - id: not-scanned
                claim: Linux 6.15 has Nova
                release: "6.15"
                query:
                  files: { path: "drivers/gpu/nova-core/*.rs" }
                expect: { atLeast: 1 }
              - id: typo
                claim: x
                query:
                  unitz: {}
                expect: true
              - id: writes
                claim: y
                query:
                  sql: DELETE FROM cves
                expect: true
              - id: sql-fine
                claim: the schema version is 1
                query:
                  sql: SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'
                expect: { equals: 1 }
            """);
        var (exit, stdout, error) = CliRunner.Run(_dir, "--db", db, "check", claims);
        Assert.Equal(1, exit);
        Assert.Contains("CANNOT TELL  not-scanned: Linux 6.15 has Nova\n             expected >= 1; measured: no kernel tree scanned\n", stdout);
        Assert.Contains("HOLDS        sql-fine: the schema version is 1\n", stdout);
        Assert.EndsWith("4 claims: 1 cannot tell, 1 holds, 2 invalid\n", stdout);
        Assert.Contains($"oxidation: error: {claims}:11: claim 'typo': unknown query 'unitz'", error);
        Assert.Contains($"oxidation: error: {claims}:16: claim 'writes': query.sql must be a single SELECT (or WITH … SELECT) statement", error);
    }

    [Fact]
    public void Check_of_a_file_that_is_not_a_claims_file_fails_with_its_name()
    {
        var db = EmptyDatabase();
        var (exit, _, error) = CliRunner.Run(_dir, "--db", db, "check", "missing.yaml");
        Assert.Equal(2, exit);
        Assert.Equal("oxidation: error: missing.yaml: no such file\n", error);
        File.WriteAllText(Path.Combine(_dir, "list.yaml"), "- a\n- b\n");
        (exit, _, error) = CliRunner.Run(_dir, "--db", db, "check", "list.yaml");
        Assert.Equal(2, exit);
        Assert.Equal("oxidation: error: list.yaml:1: expected a mapping with a 'claims:' list\n", error);
    }

    [Fact]
    public void People_section_shows_the_mined_history()
    {
        using var repo = KernelRepository.Standard();
        var db = Path.Combine(_dir, "history.duckdb");
        var (exit, _, error) = CliRunner.Run(_dir, "--db", db, "history", repo.Path);
        Assert.True(exit == 0, error);
        (exit, _, error) = CliRunner.Run(_dir, "--db", db, "report", "--out", "r");
        Assert.True(exit == 0, error);
        var md = File.ReadAllText(Path.Combine(_dir, "r", "report.md"));
        Assert.DoesNotContain("no history mined yet", md);
        // Rust changesets: 6.1 "rust: add the kernel crate" (Ada); 6.2 "rust: kernel: use foo" (Bob, as
        // old@ mapped by .mailmap) and "rust: fix build" (Ada); unreleased: Bob's Kconfig "depends on RUST".
        // Carol's commit touches only the vendored alloc crate.
        Assert.Contains("| Ada Author | 2 |", md);
        Assert.Contains("| Bob Builder | 2 |", md);
        Assert.Contains("| Intel | 2 |", md);
        Assert.Contains("| Google | 2 |", md);
        Assert.Contains("| include/linux/foo.h | 1 |", md);
        Assert.Contains("| 6.2+ | 1 |", md); // the unreleased tail, labelled once
        Assert.DoesNotContain("6.2++", md);
        var employers = File.ReadAllText(Path.Combine(_dir, "r", "charts", "employers.svg"));
        Assert.Contains("data-points=\"2\"", employers);
        // Claims about people are now answered.
        Assert.Contains("| cannot tell | Linux 6.15 has the Nova GPU driver core in Rust |", md);
        Assert.Contains("| fails | More than 50 people have authored Rust changes to the kernel | > 50 | 2 distinct authors in 4 Rust changesets of the mined history |", md);
    }
}
