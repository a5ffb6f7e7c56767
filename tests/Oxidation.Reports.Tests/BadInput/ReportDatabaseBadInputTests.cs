using Oxidation.Cli.Tests;
using Oxidation.Store;

namespace Oxidation.Reports.Tests;

/// <summary>report, check and serve on a database that is read-only or corrupt (issue 10, items 7 and 19).</summary>
public sealed class ReportDatabaseBadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("oxidation-report-db-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Claims => Path.Combine(Golden.RepositoryRoot(), "examples", "claims", "state-of-rust.yaml");

    [Fact]
    public async Task A_read_only_database_can_be_read_by_report_check_and_serve()
    {
        using var disk = new SmallDisk("4m");
        var db = Path.Combine(disk.Root, "o.duckdb");
        OxidationDatabase.Open(db).Dispose();
        disk.ReadOnly();
        var (exit, stdout, error) = CliRunner.Run(_dir, "--db", db, "check", Claims);
        Assert.True(exit == 0, error);
        Assert.EndsWith("24 claims: 24 cannot tell\n", stdout, StringComparison.Ordinal);
        (exit, _, error) = CliRunner.Run(_dir, "--db", db, "report", "--out", "r");
        Assert.True(exit == 0, error);
        Assert.True(File.Exists(Path.Combine(_dir, "r", "report.md")));
        using var serve = ServeProcess.Start(db);
        using var http = new HttpClient();
        Assert.Contains("no CVE records imported yet", await http.GetStringAsync(serve.Url + "report.md"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_only_database_of_an_older_Oxidation_says_it_cannot_be_migrated()
    {
        using var disk = new SmallDisk("4m");
        var db = Path.Combine(disk.Root, "o.duckdb");
        using (var open = OxidationDatabase.Open(db))
            open.Execute("DROP TABLE history_lines");
        disk.ReadOnly();
        var (exit, _, error) = CliRunner.Run(_dir, "--db", db, "check", Claims);
        Assert.Equal(3, exit);
        Assert.StartsWith($"oxidation: error: {db}: written by an older Oxidation (no table history_lines); open it once with a writing command (e.g. oxidation scan) to migrate it, and it cannot be migrated here (", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Report_on_a_corrupt_database_is_one_line_and_exit_3()
    {
        // A database with a few blocks of data, then each data block corrupted in turn: some break the open, others
        // only the reads of the report; every one must end in one line naming the file, never a stack trace.
        var good = Path.Combine(_dir, "good.duckdb");
        using (var db = OxidationDatabase.Open(good))
        {
            // 3,000 records of 1 KB of incompressible text each: a dozen blocks that the report's CVE statistics read.
            db.Execute("""
                INSERT INTO cves SELECT 'CVE-2025-' || i, 'published', 2025, 'cve/published/2025/' || i || '.json', NULL, 'x: fix ' || i,
                    (SELECT string_agg(md5((i * 100 + j)::VARCHAR), '') FROM range(32) r(j)), NULL, NULL, 'other', false, false, 'low', '', 'c', 'v1'
                FROM range(3000) t(i)
                """);
            db.Execute("CHECKPOINT");
        }
        var bytes = File.ReadAllBytes(good);
        const int Header = 3 * 4096, Block = 256 * 1024;
        var failedReads = 0;
        for (var offset = Header + Block; offset < bytes.Length; offset += Block)
        {
            var corrupt = Path.Combine(_dir, "corrupt.duckdb");
            var copy = (byte[])bytes.Clone();
            copy.AsSpan(offset, 8).Fill(0x58); // the block's checksum
            File.WriteAllBytes(corrupt, copy);
            var (exit, _, error) = CliRunner.Run(_dir, "--db", corrupt, "report", "--out", "r");
            if (exit == 0)
                continue; // a free block
            Assert.Equal(3, exit);
            Assert.DoesNotContain("Unhandled", error, StringComparison.Ordinal);
            Assert.Single(error.TrimEnd('\n').Split('\n'));
            Assert.StartsWith($"oxidation: error: {corrupt}: ", error, StringComparison.Ordinal);
            Assert.True(error.Contains("Corrupt database file", StringComparison.Ordinal), error);
            if (error.Contains(": cannot read the database (", StringComparison.Ordinal))
                failedReads++;
        }
        Assert.True(failedReads > 0, "no corrupt block reached the report's reads");
    }
}
