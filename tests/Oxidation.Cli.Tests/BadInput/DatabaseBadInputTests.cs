using System.Security.Cryptography;
using DuckDB.NET.Data;

namespace Oxidation.Cli.Tests;

/// <summary>
/// Bad <c>--db</c> files and broken disks for the writing commands (scan, cves import) and the reading ones
/// (cves stats/show/list): one line naming the file and the reason, exit 3, the file left as it was (issue 10).
/// </summary>
public sealed class DatabaseBadInputTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("oxidation-db-bad-");

    public void Dispose() => _work.Delete(recursive: true);

    private (int Exit, string Out, string Error) Run(params string[] args) => CliRunner.Run(_work.FullName, args);

    private string Tree(int files = 0)
    {
        var root = Path.Combine(_work.FullName, $"tree{files}");
        Directory.CreateDirectory(Path.Combine(root, "rust/kernel"));
        File.WriteAllText(Path.Combine(root, "Makefile"), $"VERSION = 6\nPATCHLEVEL = {(files == 0 ? 12 : 13)}\nSUBLEVEL = 0\nEXTRAVERSION =\n");
        File.WriteAllText(Path.Combine(root, "rust/kernel/lib.rs"), "// SPDX-License-Identifier: GPL-2.0\nunsafe impl Send for X {}\n");
        for (var i = 0; i < files; i++)
        {
            var dir = Path.Combine(root, "drivers", $"d{i / 100}");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, $"a_file_with_a_rather_long_name_{i}.c"), $"int a{i};\n/* c */\n");
        }
        return root;
    }

    private string Records()
    {
        var records = Directory.CreateDirectory(Path.Combine(_work.FullName, "vulns", "cve", "published", "2025"));
        foreach (var (id, text) in new[] { ("CVE-2025-0001", "x: fix double free"), ("CVE-2025-0002", "y: fix a deadlock") })
        {
            File.WriteAllText(Path.Combine(records.FullName, id + ".json"),
                $"{{\"cveMetadata\": {{\"cveId\": \"{id}\"}}, \"containers\": {{\"cna\": {{\"descriptions\": [{{\"lang\": \"en\", \"value\": \"{text}\"}}]}}}}}}");
        }
        return Path.Combine(_work.FullName, "vulns");
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void An_SQLite_file_as_db_is_named_for_what_it_is_and_left_untouched()
    {
        var db = Path.Combine(_work.FullName, "cves.sqlite");
        File.WriteAllBytes(db, [.. "SQLite format 3\0"u8, .. new byte[4080]]);
        var before = Hash(db);
        foreach (var args in new[] { new[] { "scan", Tree() }, ["cves", "import", Records()], ["cves", "stats"] })
        {
            var (exit, _, error) = Run([.. args, "--db", db]);
            Assert.Equal(3, exit);
            Assert.Equal($"oxidation: error: {db}: is an SQLite database, not a DuckDB one\n", error);
        }
        Assert.Equal(before, Hash(db));
        Assert.False(File.Exists(db + ".wal"));
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_untouched()
    {
        var db = Path.Combine(_work.FullName, "notes.txt");
        File.WriteAllText(db, "these are my notes, not a database\n");
        var (exit, _, error) = Run("scan", Tree(), "--db", db);
        Assert.Equal(3, exit);
        Assert.Equal($"oxidation: error: {db}: not a DuckDB database (no DuckDB header)\n", error);
        Assert.Equal("these are my notes, not a database\n", File.ReadAllText(db));
    }

    [Fact]
    public void A_DuckDB_file_that_is_not_an_Oxidation_database_is_refused_untouched()
    {
        var db = Path.Combine(_work.FullName, "accounts.duckdb");
        using (var connection = new DuckDBConnection($"Data Source={db}"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "CREATE TABLE accounts (name VARCHAR, balance BIGINT); INSERT INTO accounts VALUES ('ada', 10); CREATE TABLE files (x INTEGER)";
            cmd.ExecuteNonQuery();
        }
        var before = Hash(db);
        foreach (var args in new[] { new[] { "scan", Tree() }, ["cves", "import", Records()], ["cves", "stats"] })
        {
            var (exit, _, error) = Run([.. args, "--db", db]);
            Assert.Equal(3, exit);
            Assert.Equal($"oxidation: error: {db}: a DuckDB database, but not an Oxidation one (2 tables: accounts, files, no schema version); refusing to change it\n", error);
        }
        Assert.Equal(before, Hash(db));
        using var check = new DuckDBConnection($"Data Source={db};ACCESS_MODE=READ_ONLY");
        check.Open();
        using var count = check.CreateCommand();
        count.CommandText = "SELECT count(*) FROM information_schema.tables";
        Assert.Equal(2L, count.ExecuteScalar());
    }

    [Fact]
    public void A_full_disk_during_scan_exits_3_naming_the_real_error_and_keeps_the_stored_release()
    {
        using var disk = new SmallDisk("768k");
        var db = Path.Combine(disk.Root, "o.duckdb");
        var (exit, _, error) = Run("scan", Tree(), "--db", db);
        Assert.True(exit == 0, error);
        (exit, _, error) = Run("scan", Tree(files: 20_000), "--db", db);
        Assert.Equal(3, exit);
        Assert.DoesNotContain("Transaction has already been finished", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"oxidation: error: {db}: could not store release 6.13 (", error, StringComparison.Ordinal);
        Assert.Contains("No space left on device", error, StringComparison.Ordinal);
        Assert.EndsWith("); database unchanged\n", error, StringComparison.Ordinal);
        // Unchanged indeed: the first release only.
        using var read = new DuckDBConnection($"Data Source={db};ACCESS_MODE=READ_ONLY");
        read.Open();
        using var cmd = read.CreateCommand();
        cmd.CommandText = "SELECT string_agg(release, ',') FROM releases";
        Assert.Equal("6.12", cmd.ExecuteScalar());
    }

    [Fact]
    public void A_full_disk_during_cves_import_exits_3_naming_the_real_error()
    {
        using var disk = new SmallDisk("1m");
        var db = Path.Combine(disk.Root, "o.duckdb");
        var (exit, _, error) = Run("cves", "import", Records(), "--db", db);
        Assert.True(exit == 0, error);
        (exit, _, error) = Run("cves", "import", CliRunner.Snapshot(), "--db", db);
        Assert.Equal(3, exit);
        Assert.DoesNotContain("Transaction has already been finished", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"oxidation: error: {db}: could not store the CVE records (", error, StringComparison.Ordinal);
        Assert.Contains("No space left on device", error, StringComparison.Ordinal);
        using var read = new DuckDBConnection($"Data Source={db};ACCESS_MODE=READ_ONLY");
        read.Open();
        using var cmd = read.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM cves";
        Assert.Equal(2L, cmd.ExecuteScalar());
    }

    [Fact]
    public void A_read_only_database_can_be_read_by_cves_stats_show_and_list()
    {
        using var disk = new SmallDisk("4m");
        var db = Path.Combine(disk.Root, "o.duckdb");
        var (exit, _, error) = Run("cves", "import", Records(), "--db", db);
        Assert.True(exit == 0, error);
        disk.ReadOnly();
        (exit, var stdout, error) = Run("cves", "stats", "--json", "--db", db);
        Assert.True(exit == 0, error);
        Assert.Contains("\"published\": 2", stdout, StringComparison.Ordinal);
        (exit, stdout, error) = Run("cves", "show", "CVE-2025-0001", "--json", "--db", db);
        Assert.True(exit == 0, error);
        Assert.Contains("\"subject\": \"x: fix double free\"", stdout, StringComparison.Ordinal);
        (exit, stdout, error) = Run("cves", "list", "--json", "--db", db);
        Assert.True(exit == 0, error);
        Assert.Contains("CVE-2025-0002", stdout, StringComparison.Ordinal);
        // A writing command says plainly that it cannot write.
        (exit, _, error) = Run("scan", Tree(), "--db", db);
        Assert.Equal(3, exit);
        Assert.StartsWith($"oxidation: error: {db}: cannot open database (", error, StringComparison.Ordinal);
    }
}
