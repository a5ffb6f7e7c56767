using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Markdig;
using Oxidation.Cli.Tests;
using Oxidation.Store;

namespace Oxidation.Reports.Tests;

/// <summary>Bad and hostile input to report, check and serve, run as a user runs them (issue 10).</summary>
public sealed class ReportBadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("oxidation-report-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Exit, string Out, string Error) Run(params string[] args) => CliRunner.Run(_dir, args);

    private string EmptyDatabase()
    {
        var path = Path.Combine(_dir, "empty.duckdb");
        OxidationDatabase.Open(path).Dispose();
        return path;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Report_out_naming_a_file_fails_before_building_and_leaves_the_file()
    {
        var db = EmptyDatabase();
        var file = Write("somefile", "keep me\n");
        var (exit, stdout, error) = Run("--db", db, "report", "--out", "somefile");
        Assert.Equal(2, exit);
        Assert.Equal($"oxidation: error: {file}: is a file, not a directory for the report (give --out a directory)\n", error);
        Assert.Equal("", stdout);
        Assert.Equal("keep me\n", File.ReadAllText(file));
    }

    [Fact]
    public void Report_out_under_a_file_fails_with_one_line()
    {
        var db = EmptyDatabase();
        Write("somefile", "keep me\n");
        var out_ = Path.Combine(_dir, "somefile", "sub");
        var (exit, _, error) = Run("--db", db, "report", "--out", "somefile/sub");
        Assert.Equal(2, exit);
        Assert.Equal($"oxidation: error: {out_}: cannot write the report here ({Path.Combine(_dir, "somefile")} is a file)\n", error);
    }

    [Fact]
    public void Report_out_in_a_read_only_place_fails_with_one_line()
    {
        // sysfs refuses new directories to every user, root included (permission bits would not stop root).
        var db = EmptyDatabase();
        var (exit, _, error) = Run("--db", db, "report", "--out", "/sys/oxidation-report");
        Assert.Equal(2, exit);
        Assert.StartsWith("oxidation: error: /sys/oxidation-report: cannot write the report here (", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain(".oxidation-probe", error); // how it was found out is not the user's business
        Assert.False(Directory.Exists("/sys/oxidation-report"));
    }

    private const string UnclosedFlowSequence = """
        claims:
          - id: unclosed
            claim: x
            query:
              files:
                path: [unclosed
            expect: true
          - id: fine
            claim: the schema version is 1
            query:
              sql: SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'
            expect: { equals: 1 }
        """;

    [Fact]
    public void Check_with_an_unclosed_flow_sequence_invalidates_only_that_claim()
    {
        var db = EmptyDatabase();
        var claims = Write("claims.yaml", UnclosedFlowSequence);
        var (exit, stdout, error) = Run("--db", db, "check", claims);
        Assert.Equal(1, exit);
        Assert.Contains("HOLDS        fine: the schema version is 1\n", stdout);
        Assert.EndsWith("2 claims: 1 holds, 1 invalid\n", stdout);
        Assert.StartsWith($"oxidation: error: {claims}:6: claim 'unclosed': YAML syntax error at column ", error);
        Assert.Contains("unclosed '['", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Report_claims_with_an_unclosed_flow_sequence_reports_it_as_invalid()
    {
        var db = EmptyDatabase();
        var claims = Write("claims.yaml", UnclosedFlowSequence);
        var (exit, _, error) = Run("--db", db, "report", "--out", "r", "--claims", claims);
        Assert.True(exit == 0, error);
        var md = File.ReadAllText(Path.Combine(_dir, "r", "report.md"));
        Assert.Contains("2 claims from ", md);
        Assert.Contains(": 1 holds, 1 invalid.", md);
    }

    [Theory]
    [InlineData("1900-01-01", "before 2022-12-11, the release of Linux 6.1, the first with Rust: its exposure would be negative")]
    [InlineData("2022-12-10", "before 2022-12-11, the release of Linux 6.1, the first with Rust: its exposure would be negative")]
    [InlineData("9999-12-31", "after today: exposure cannot be measured into the future")]
    public void Report_as_of_a_meaningless_date_is_refused(string date, string reason)
    {
        var db = EmptyDatabase();
        var (exit, _, error) = Run("--db", db, "report", "--out", "r", "--as-of", date);
        Assert.Equal(2, exit);
        Assert.Equal($"oxidation: error: --as-of {date}: {reason}\n", error);
        Assert.False(Directory.Exists(Path.Combine(_dir, "r")));
    }

    [Fact]
    public void Duplicate_claim_ids_invalidate_the_later_claim_naming_file_line_and_id()
    {
        var db = EmptyDatabase();
        var claims = Write("claims.yaml", """
            claims:
              - id: schema
                claim: the schema version is 1
                query:
                  sql: SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'
                expect: { equals: 1 }
              - id: schema
                claim: the schema version is 2
                query:
                  sql: SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'
                expect: { equals: 2 }
            """);
        var (exit, stdout, error) = Run("--db", db, "check", claims);
        Assert.Equal(1, exit);
        Assert.Contains("HOLDS        schema: the schema version is 1\n", stdout);
        Assert.EndsWith("2 claims: 1 holds, 1 invalid\n", stdout);
        Assert.Equal($"oxidation: error: {claims}:7: claim 'schema': duplicate id (first used at line 2)\n", error);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task Serve_answers_for_every_loopback_host_name(string host)
    {
        var db = EmptyDatabase();
        using var serve = ServeProcess.Start(db);
        var port = new Uri(serve.Url).Port;
        // A raw request, so the Host header is exactly what a browser sends for http://HOST:PORT/.
        using var client = new TcpClient(host == "[::1]" ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
        await client.ConnectAsync(host == "[::1]" ? IPAddress.IPv6Loopback : IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /report.md HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 200 ", response);
        Assert.Contains("# The state of Rust in the Linux kernel", response);
    }

    [Fact]
    public async Task Serve_answers_http_localhost_as_a_browser_asks()
    {
        var db = EmptyDatabase();
        using var serve = ServeProcess.Start(db);
        using var http = new HttpClient();
        // The client resolves localhost itself and may connect over IPv6 or IPv4: both are served.
        var md = await http.GetStringAsync($"http://localhost:{new Uri(serve.Url).Port}/report.md");
        Assert.Contains("# The state of Rust in the Linux kernel", md);
    }

    [Fact]
    public async Task Serve_refuses_a_foreign_host_name()
    {
        // Still only loopback names: a page on another site cannot reach the report by DNS rebinding.
        var db = EmptyDatabase();
        using var serve = ServeProcess.Start(db);
        var port = new Uri(serve.Url).Port;
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /report.md HTTP/1.1\r\nHost: evil.example:{port}\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        // Kestrel's host filtering answers 400 (the hand-written server before it answered 421).
        Assert.StartsWith("HTTP/1.1 400 ", response);
        Assert.DoesNotContain("The state of Rust", response);
    }

    [Fact]
    public async Task Serve_answers_only_GET_and_HEAD_without_a_body_and_with_a_small_head()
    {
        var db = EmptyDatabase();
        using var serve = ServeProcess.Start(db);
        var port = new Uri(serve.Url).Port;
        async Task<string> Send(string request)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return await reader.ReadToEndAsync();
        }
        var host = $"Host: 127.0.0.1:{port}\r\nConnection: close\r\n";
        var post = await Send($"POST /report.md HTTP/1.1\r\n{host}Content-Length: 0\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 405 ", post);
        Assert.Contains("\r\nAllow: GET, HEAD\r\n", post);
        var head = await Send($"HEAD /report.md HTTP/1.1\r\n{host}\r\n");
        Assert.StartsWith("HTTP/1.1 200 ", head);
        Assert.EndsWith("\r\n\r\n", head); // the headers only
        Assert.Contains("\r\nContent-Type: text/markdown; charset=utf-8\r\n", head);
        var body = await Send($"GET /report.md HTTP/1.1\r\n{host}Content-Length: 3\r\n\r\nabc");
        Assert.StartsWith("HTTP/1.1 413 ", body);
        var large = await Send($"GET /report.md HTTP/1.1\r\n{host}X-Large: {new string('a', 20_000)}\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 431 ", large);
    }

    [Fact]
    public async Task Serve_listens_on_loopback_only_whatever_the_environment_and_appsettings_json_say()
    {
        // ASP.NET reads these where its default builders are used: none may add an address (the empty builder reads none).
        static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var (urls, endpoint, settings) = (FreePort(), FreePort(), FreePort());
        Write("appsettings.json", """{"Kestrel": {"Endpoints": {"x": {"Url": "http://127.0.0.1:PORT"}}}, "Logging": {"LogLevel": {"Default": "Trace"}}}"""
            .Replace("PORT", settings.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var db = EmptyDatabase();
        using var serve = ServeProcess.Start(db, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{urls}",
            ["ASPNETCORE_Kestrel__Endpoints__y__Url"] = $"http://127.0.0.1:{endpoint}",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        }, workingDirectory: _dir);
        using var http = new HttpClient();
        Assert.Contains("# The state of Rust in the Linux kernel", await http.GetStringAsync(serve.Url + "report.md"));
        foreach (var port in new[] { urls, endpoint, settings })
        {
            using var client = new TcpClient();
            await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, port));
        }
        var stopped = serve.Signal("TERM");
        Assert.NotNull(stopped);
        Assert.Equal("GET /report.md 200\n", stopped.Value.Error); // no log from ASP.NET itself
    }

    [Fact]
    public void Report_md_escapes_a_script_from_a_Makefile_EXTRAVERSION()
    {
        var tree = Path.Combine(_dir, "tree");
        Write("tree/Makefile", "VERSION = 6\nPATCHLEVEL = 99\nSUBLEVEL = 0\nEXTRAVERSION = <script>alert(1)</script>\n");
        Write("tree/rust/kernel/lib.rs", "// SPDX-License-Identifier: GPL-2.0\nfn f() {\n    unsafe { g() };\n}\n");
        var db = Path.Combine(_dir, "tree.duckdb");
        var (exit, _, error) = Run("--db", db, "scan", tree);
        Assert.True(exit == 0, error);
        (exit, _, error) = Run("--db", db, "report", "--out", "r");
        Assert.True(exit == 0, error);
        var md = File.ReadAllText(Path.Combine(_dir, "r", "report.md"));
        // A backslash before '<' makes it literal (CommonMark 2.4): in the header line, figures, tables, captions, chart
        // titles and claims' evidence; in a link it is percent-encoded.
        const string release = "6.99\\<script>alert(1)\\</script>";
        Assert.Contains($"Measured by Oxidation from 1 scanned release ({release}),", md);
        Assert.Contains($"- **Releases scanned:** 1 ({release})", md);
        Assert.Contains($"\n| {release} | ", md); // the releases table
        Assert.Contains($"**By area, {release}**", md);
        Assert.Contains($"![Unsafe blocks by area in {release}](charts/unsafe.svg)", md);
        Assert.Contains("?h=v6.99%3Cscript%3Ealert%281%29%3C/script%3E#n3)", md);
        Assert.DoesNotMatch(@"(?<!\\)<script", md);
        // Rendered as GitHub does (CommonMark and its tables): text everywhere, no element.
        var rendered = Markdown.ToHtml(md, MarkdownTextTests.Gfm);
        Assert.DoesNotContain("<script", rendered);
        Assert.Contains("6.99&lt;script&gt;alert(1)&lt;/script&gt;", rendered);
        var html = File.ReadAllText(Path.Combine(_dir, "r", "index.html"));
        Assert.DoesNotContain("<script>", html);
    }

    [Fact]
    public void Report_is_not_written_and_database_unchanged_when_out_is_refused()
    {
        var db = EmptyDatabase();
        var before = SHA256.HashData(File.ReadAllBytes(db));
        Write("somefile", "");
        var (exit, _, _) = Run("--db", db, "report", "--out", "somefile");
        Assert.Equal(2, exit);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(db)));
    }
}
