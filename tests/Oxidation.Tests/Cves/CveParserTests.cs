using System.Text;
using Oxidation.Cves;

namespace Oxidation.Tests.Cves;

public sealed class CveParserTests
{
    private const string Minimal = """
        {"cveMetadata": {"cveId": "CVE-2025-1000", "state": "PUBLISHED"},
         "containers": {"cna": {"title": "foo: fix bar",
           "descriptions": [{"lang": "en", "value": "In the Linux kernel, the following vulnerability has been resolved:\n\nfoo: fix use-after-free in bar\n\nThe body."}],
           "affected": [{"defaultStatus": "affected", "programFiles": ["drivers/foo/bar.c"],
             "versions": [{"version": "6.1", "status": "affected"}, {"version": "0", "lessThan": "6.1", "status": "unaffected", "versionType": "semver"}]}],
           "references": [{"url": "https://git.kernel.org/stable/c/0123456789abcdef0123456789abcdef01234567"}]}}}
        """;

    private static (CveRecord? Record, CveProblem? Problem) Parse(string path, string json)
    {
        var record = CveParser.TryParse(path, Encoding.UTF8.GetBytes(json), out var problem);
        return (record, problem);
    }

    [Fact]
    public void A_record_is_mapped_with_subject_files_ranges_and_fixes()
    {
        var (record, problem) = Parse("cve/published/2025/CVE-2025-1000.json", Minimal);
        Assert.Null(problem);
        Assert.NotNull(record);
        Assert.Equal(("CVE-2025-1000", "published", 2025, "foo: fix use-after-free in bar"), (record.Id, record.State, record.Year, record.Subject));
        Assert.Equal(["drivers/foo/bar.c"], record.ProgramFiles);
        Assert.Equal(["0123456789abcdef0123456789abcdef01234567"], record.Fixes);
        Assert.Equal([("release", "6.1"), ("semver", "0")], record.Ranges.Select(r => (r.Kind, r.Version)));
        Assert.Equal("\n\nThe body.", record.Body);
    }

    [Fact]
    public void The_state_comes_from_the_directory() =>
        Assert.Equal("rejected", Parse("cve/rejected/2025/CVE-2025-1000.json", Minimal).Record!.State);

    [Fact]
    public void The_cveID_spelling_of_291_snapshot_records_is_accepted() =>
        Assert.NotNull(Parse("cve/published/2025/CVE-2025-1000.json", Minimal.Replace("\"cveId\"", "\"cveID\"", StringComparison.Ordinal)).Record);

    [Theory]
    [InlineData("cve/published/2025/CVE-2025-1000.json", "{not json", "malformed JSON")]
    [InlineData("cve/published/2025/CVE-2025-1000.json", "{\"containers\": {}}", "missing field cveMetadata")]
    [InlineData("cve/published/2025/CVE-2025-1000.json", "{\"cveMetadata\": {}}", "missing field cveMetadata.cveId")]
    [InlineData("cve/published/2025/CVE-2025-9.json", null, "id CVE-2025-1000 does not match the file name")]
    [InlineData("notes/CVE-2025-1000.json", null, "outside the expected layout")]
    public void Bad_records_are_refused_with_a_reason(string path, string? json, string reason)
    {
        var (record, problem) = Parse(path, json ?? Minimal);
        Assert.Null(record);
        Assert.NotNull(problem);
        Assert.Equal(path, problem.Path);
        Assert.StartsWith(reason, problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_version_type_is_refused() =>
        Assert.Equal("unknown versionType 'calendar'",
            Parse("cve/published/2025/CVE-2025-1000.json", Minimal.Replace("\"semver\"", "\"calendar\"", StringComparison.Ordinal)).Problem!.Reason);

    [Fact]
    public void A_published_record_without_descriptions_is_refused() =>
        Assert.Equal("missing field containers.cna.descriptions",
            Parse("cve/published/2025/CVE-2025-1000.json", Minimal.Replace("\"descriptions\"", "\"notes\"", StringComparison.Ordinal)).Problem!.Reason);

    [Theory]
    [InlineData(new[] { "a/b.c" }, "c-only")]
    [InlineData(new[] { "a/b.c", "include/x.h" }, "c-with-headers")]
    [InlineData(new[] { "include/x.h" }, "headers")]
    [InlineData(new[] { "drivers/android/binder/node.rs", "a/b.c" }, "rust")]
    [InlineData(new[] { "arch/x86/entry.S" }, "assembly")]
    [InlineData(new[] { "a/b.c", "Makefile" }, "mixed")]
    [InlineData(new string[0], "none")]
    public void Language_categories(string[] files, string expected) => Assert.Equal(expected, CveFacts.LanguageCategory(files));
}
