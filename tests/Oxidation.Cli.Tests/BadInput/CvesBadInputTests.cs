using System.Formats.Tar;
using System.Text;
using System.Text.Json;

namespace Oxidation.Cli.Tests.BadInput;

/// <summary>
/// <c>oxidation cves …</c> given hostile or broken input (issue 10): each case ends in one line naming the thing
/// and the reason, the exit code of the README, and no stack trace.
/// </summary>
public sealed class CvesBadInputTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("oxidation-cves-bad-");

    public void Dispose() => _work.Delete(recursive: true);

    private string Db => Path.Combine(_work.FullName, "cves.duckdb");

    private (int Exit, string Out, string Error) Run(params string[] args) => CliRunner.Run(_work.FullName, [.. args, "--db", Db]);

    /// <summary>A record the parser accepts, with <paramref name="cna"/> added to its <c>containers.cna</c>.</summary>
    private static string Json(string id, string cna = "") =>
        $$$$"""
        {"cveMetadata": {"cveId": "{{{{id}}}}"}, "containers": {"cna": {"descriptions": [{"lang": "en",
         "value": "In the Linux kernel, the following vulnerability has been resolved:\n\nx: fix double free in y\n\nBody."}],
         "affected": [{"defaultStatus": "affected", "programFiles": ["drivers/x/y.c"], "versions": [{"version": "6.1", "status": "affected"}]}]{{{{cna}}}}}}}
        """;

    private static void Write(string root, string relative, string json)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
    }

    private string Ids(params string[] list)
    {
        var (exit, stdout, error) = Run(["cves", "list", "--json", .. list]);
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(stdout);
        return string.Join(' ', json.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }

    private static void AssertOneLineError(string error, string expectedStart)
    {
        var lines = error.TrimEnd().Split('\n');
        Assert.True(lines.Length == 1, error);
        Assert.StartsWith(expectedStart, lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Import_follows_no_directory_link_out_of_the_tree_nor_round_a_loop()
    {
        // Before the fix the fingerprint listed cve/ with SearchOption.AllDirectories: it walked through these links
        // (and, for a user who could not read a directory out there, died with UnauthorizedAccessException).
        var vulns = Path.Combine(_work.FullName, "vulns");
        var outside = Path.Combine(_work.FullName, "outside");
        Write(vulns, "cve/published/2025/CVE-2025-0001.json", Json("CVE-2025-0001"));
        Write(outside, "published/2025/CVE-2025-0002.json", Json("CVE-2025-0002"));
        Write(outside, "2024/CVE-2024-0003.json", Json("CVE-2024-0003"));
        Directory.CreateDirectory(Path.Combine(outside, "2024", "closed"));
        File.CreateSymbolicLink(Path.Combine(vulns, "cve", "rejected"), Path.Combine(outside, "published"));
        File.CreateSymbolicLink(Path.Combine(vulns, "cve", "published", "2024"), Path.Combine(outside, "2024"));
        File.CreateSymbolicLink(Path.Combine(vulns, "cve", "published", "2025", "loop"), Path.Combine(vulns, "cve"));

        var (exit, stdout, error) = Run("cves", "import", vulns, "--json");
        Assert.True(exit == 1, error);
        using (var json = JsonDocument.Parse(stdout))
        {
            var root = json.RootElement;
            Assert.Equal((1, 0), (root.GetProperty("published").GetInt32(), root.GetProperty("rejected").GetInt32()));
            Assert.Equal(
                ["cve/published/2024: a link, not followed", "cve/published/2025/loop: a link, not followed", "cve/rejected: a link, not followed"],
                root.GetProperty("problems").EnumerateArray().Select(p => $"{p.GetProperty("path").GetString()}: {p.GetProperty("reason").GetString()}"));
        }
        Assert.Equal("CVE-2025-0001", Ids());
        Assert.Equal("", Ids("--rejected"));

        // What lies behind the links is not part of the input: changing it changes nothing.
        Write(outside, "2024/CVE-2024-0004.json", Json("CVE-2024-0004"));
        Write(outside, "published/2025/CVE-2025-0002.json", Json("CVE-2025-0002", ", \"title\": \"changed\""));
        (exit, _, error) = Run("cves", "import", vulns);
        Assert.Equal(0, exit);
        Assert.Equal($"{vulns}: unchanged since the last import; nothing to do (--force to import again)", error.Trim());
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-0.1")]
    [InlineData("10.1")]
    public void A_cvss_base_score_out_of_range_is_a_record_problem_and_show_json_still_works(string score)
    {
        // Before the fix 1e400 was stored as infinity and `cves show --json` threw while writing it.
        var vulns = Path.Combine(_work.FullName, "vulns");
        const string Metric = ", \"metrics\": [{\"cvssV3_1\": {\"vectorString\": \"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H\", \"baseScore\": SCORE}}]";
        Write(vulns, "cve/published/2025/CVE-2025-0001.json", Json("CVE-2025-0001", Metric.Replace("SCORE", score, StringComparison.Ordinal)));
        Write(vulns, "cve/published/2025/CVE-2025-0002.json", Json("CVE-2025-0002", Metric.Replace("SCORE", "7.8", StringComparison.Ordinal)));

        var (exit, stdout, error) = Run("cves", "import", vulns);
        Assert.Equal(1, exit);
        Assert.Contains("Imported 1 published and 0 rejected records", stdout, StringComparison.Ordinal);
        Assert.Equal($"oxidation: skipped cve/published/2025/CVE-2025-0001.json: CVSS 3.1 baseScore {score} is out of range (a base score is 0.0 to 10.0)", error.Trim());

        (exit, stdout, error) = Run("cves", "show", "CVE-2025-0002", "--json");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(7.8, json.RootElement.GetProperty("cvssScore").GetDouble());
        (exit, _, error) = Run("cves", "show", "CVE-2025-0001", "--json");
        Assert.Equal(2, exit);
        AssertOneLineError(error, "oxidation: error: CVE-2025-0001: not in ");
    }

    [Fact]
    public void The_import_summary_counts_what_is_stored_when_a_duplicate_replaces_a_record()
    {
        // The same id under cve/rejected (first in the archive, so read first) and cve/published: the published path
        // sorts first and replaces it. Before the fix the summary said 6 published + 1 rejected; the database held 7 + 0.
        var archive = Path.Combine(_work.FullName, "vulns.tar");
        using (var tar = new TarWriter(File.Create(archive), TarEntryFormat.Pax, leaveOpen: false))
        {
            void Add(string name, string json) =>
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(json)) });
            Add("vulns/cve/rejected/2025/CVE-2025-0007.json", Json("CVE-2025-0007"));
            for (var i = 1; i <= 7; i++)
                Add($"vulns/cve/published/2025/CVE-2025-000{i}.json", Json($"CVE-2025-000{i}"));
        }

        var (exit, stdout, error) = Run("cves", "import", archive, "--json");
        Assert.True(exit == 1, error);
        using (var json = JsonDocument.Parse(stdout))
        {
            var root = json.RootElement;
            Assert.Equal((8, 7, 0, 1), (root.GetProperty("files").GetInt32(), root.GetProperty("published").GetInt32(),
                root.GetProperty("rejected").GetInt32(), root.GetProperty("failed").GetInt32()));
            Assert.Equal("cve/rejected/2025/CVE-2025-0007.json", root.GetProperty("problems")[0].GetProperty("path").GetString());
        }
        Assert.Equal("CVE-2025-0001 CVE-2025-0002 CVE-2025-0003 CVE-2025-0004 CVE-2025-0005 CVE-2025-0006 CVE-2025-0007", Ids());
        Assert.Equal("", Ids("--rejected"));

        (exit, stdout, _) = Run("cves", "import", archive, "--force");
        Assert.Equal(1, exit);
        Assert.StartsWith("Imported 7 published and 0 rejected records", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_in_the_wrong_year_directory_is_a_problem()
    {
        var vulns = Path.Combine(_work.FullName, "vulns");
        Write(vulns, "cve/published/2023/CVE-2024-1234.json", Json("CVE-2024-1234"));
        Write(vulns, "cve/published/2024/CVE-2024-1235.json", Json("CVE-2024-1235"));

        var (exit, stdout, error) = Run("cves", "import", vulns);
        Assert.Equal(1, exit);
        Assert.Contains("Imported 1 published and 0 rejected records", stdout, StringComparison.Ordinal);
        Assert.Equal("oxidation: skipped cve/published/2023/CVE-2024-1234.json: outside the expected layout: a 2024 id in the 2023 directory", error.Trim());
        Assert.Equal("CVE-2024-1235", Ids());
    }

    [Theory]
    [InlineData("show|CVE-2025", "oxidation: error: CVE-2025: not a CVE id (expected e.g. CVE-2025-68260)")]
    [InlineData("show|../../etc/passwd", "oxidation: error: ../../etc/passwd: not a CVE id (expected e.g. CVE-2025-68260)")]
    [InlineData("show|cve-1999-0001", "oxidation: error: CVE-1999-0001: not in ")]
    [InlineData("affecting|abc", "oxidation: error: abc: not a kernel release (expected e.g. 6.12.117 or 6.13-rc1)")]
    [InlineData("affecting|6.1-rcX", "oxidation: error: 6.1-rcX: not a kernel release (expected e.g. 6.12.117 or 6.13-rc1)")]
    [InlineData("affecting|99999999999.1", "oxidation: error: 99999999999.1: not a kernel release (expected e.g. 6.12.117 or 6.13-rc1)")]
    [InlineData("stats|--as-of|abc", "oxidation: error: --as-of abc: not a date (yyyy-mm-dd)")]
    [InlineData("stats|--as-of|2026-02-30", "oxidation: error: --as-of 2026-02-30: not a date (yyyy-mm-dd)")]
    [InlineData("stats|--release|9.99", "oxidation: error: --release 9.99: not a scanned release in ")]
    [InlineData("list|--class|", "oxidation: error: --class : unknown class; one of use-after-free")]
    public void Bad_arguments_are_one_line_errors_with_exit_2(string args, string expectedStart)
    {
        var vulns = Path.Combine(_work.FullName, "vulns");
        Write(vulns, "cve/published/2025/CVE-2025-0001.json", Json("CVE-2025-0001"));
        Assert.Equal(0, Run("cves", "import", vulns).Exit);

        var (exit, stdout, error) = Run(["cves", .. args.Split('|')]);
        Assert.Equal("", stdout);
        AssertOneLineError(error, expectedStart);
        Assert.Equal(2, exit);
    }

    [Fact]
    public void A_year_that_is_not_a_number_is_refused_by_the_parser_without_a_stack_trace()
    {
        // A usage error (issue 10, item 18): exit 2, one line naming the option and the value, then the help hint.
        var (exit, _, error) = Run("cves", "list", "--since", "abc");
        Assert.Equal(2, exit);
        Assert.Equal(["oxidation: error: --since abc: not a whole number", "see oxidation cves list --help"], error.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("garbage")]
    [InlineData("foreign-zip")]
    public void A_missing_or_damaged_model_file_is_a_one_line_error_naming_it_with_exit_3_and_no_fall_back_to_the_rules(string kind)
    {
        var vulns = Path.Combine(_work.FullName, "vulns");
        Write(vulns, "cve/published/2025/CVE-2025-0001.json", Json("CVE-2025-0001"));
        var model = Path.Combine(_work.FullName, "model.zip");
        if (kind == "garbage")
            File.WriteAllText(model, "not a zip");
        else if (kind == "foreign-zip")
        {
            using var zip = System.IO.Compression.ZipFile.Open(model, System.IO.Compression.ZipArchiveMode.Create);
            zip.CreateEntry("readme.txt");
        }
        var (exit, stdout, error) = Run("cves", "import", vulns, "--model", model);
        Assert.Equal("", stdout);
        AssertOneLineError(error, $"oxidation: error: CVE model {model}: ");
        Assert.Equal(3, exit);
        // Nothing was imported: no silent fall back to the rules.
        Assert.Equal(0, Run("cves", "import", vulns, "--rules-only").Exit);
        (exit, _, error) = Run("cves", "classify", "--model", model);
        AssertOneLineError(error, $"oxidation: error: CVE model {model}: ");
        Assert.Equal(3, exit);
    }

    [Fact]
    public void Rules_only_and_a_model_file_exclude_each_other()
    {
        var vulns = Path.Combine(_work.FullName, "vulns");
        Write(vulns, "cve/published/2025/CVE-2025-0001.json", Json("CVE-2025-0001"));
        var (exit, _, error) = Run("cves", "import", vulns, "--rules-only", "--model", "m.zip");
        AssertOneLineError(error, "oxidation: error: --rules-only and --model exclude each other");
        Assert.Equal(2, exit);
    }
}
