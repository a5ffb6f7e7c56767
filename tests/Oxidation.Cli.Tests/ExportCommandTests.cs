using System.Text.Json;
using DuckDB.NET.Data;

namespace Oxidation.Cli.Tests;

/// <summary>
/// Databases built as users build them, through the command line: Debian's 6.1 tarball scanned into A, the 6.12
/// tarball scanned into B with the CVE snapshot imported, and both (6.1 scanned again, then 6.12 and the snapshot)
/// into Both, as one machine holding everything would have them.
/// </summary>
public sealed class ScannedMachines : IDisposable
{
    public const string Tree61 = "/usr/src/linux-source-6.1.tar.xz";
    public const string Tree612 = "/usr/src/linux-source-6.12.tar.xz";

    public ScannedMachines()
    {
        Work = Directory.CreateTempSubdirectory("oxidation-export-");
        A = Path.Combine(Work.FullName, "a.duckdb");
        B = Path.Combine(Work.FullName, "b.duckdb");
        Both = Path.Combine(Work.FullName, "both.duckdb");
        Run(A, "scan", Tree61);
        Run(B, "scan", Tree612);
        Run(B, "cves", "import", CliRunner.Snapshot());
        Run(Both, "scan", Tree61);
        Run(Both, "scan", Tree612);
        Run(Both, "cves", "import", CliRunner.Snapshot());
    }

    private void Run(string db, params string[] args)
    {
        var (exit, _, error) = CliRunner.Run(Work.FullName, ["--db", db, .. args]);
        if (exit != 0)
            throw new InvalidOperationException($"oxidation {string.Join(' ', args)} failed ({exit}): {error}");
    }

    public DirectoryInfo Work { get; }

    public string A { get; }

    public string B { get; }

    public string Both { get; }

    public void Dispose() => Work.Delete(recursive: true);
}

public sealed class ExportCommandTests(ScannedMachines machines) : IClassFixture<ScannedMachines>
{
    private (int Exit, string Out, string Error) Run(params string[] args) => CliRunner.Run(machines.Work.FullName, args);

    private string Fresh(string name) => Path.Combine(machines.Work.FullName, name + "-" + Guid.NewGuid().ToString("N")[..8]);

    private static DuckDBConnection Reader()
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        return connection;
    }

    private static long Count(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static List<string> Tables(DuckDBConnection c, string catalog)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT table_name FROM information_schema.tables WHERE table_catalog = '{catalog}' AND table_schema = 'main' ORDER BY table_name";
        using var reader = cmd.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
            names.Add(reader.GetString(0));
        return names;
    }

    /// <summary>Rows of <paramref name="left"/> not in <paramref name="right"/> and back, as multisets (EXCEPT ALL).</summary>
    private static long Difference(DuckDBConnection c, string left, string right) =>
        Count(c, $"SELECT count(*) FROM (({left}) EXCEPT ALL ({right}))") + Count(c, $"SELECT count(*) FROM (({right}) EXCEPT ALL ({left}))");

    [Fact]
    public void Parquet_round_trip_keeps_every_row_and_value()
    {
        var dir = Fresh("export");
        var (exit, stdout, error) = Run("--db", machines.Both, "export", "--format", "parquet", "--out", dir);
        Assert.True(exit == 0, error);
        Assert.Contains("Exported 35 tables", stdout);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")));
        var root = manifest.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        // 6.1.192: the top Makefile of Debian's linux-source-6.1 (VERSION 6, PATCHLEVEL 1, SUBLEVEL 192).
        var releases = root.GetProperty("releases").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Equal(2, releases.Count);
        Assert.Equal("6.1.192", releases[0]);
        Assert.StartsWith("6.12.", releases[1]);
        Assert.False(string.IsNullOrEmpty(root.GetProperty("cveFingerprint").GetString()));
        using var c = Reader();
        Execute(c, $"ATTACH '{machines.Both}' AS db (READ_ONLY)");
        var tables = root.GetProperty("tables").EnumerateArray().ToList();
        Assert.Equal(Tables(c, "db"), tables.Select(t => t.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToList());
        foreach (var table in tables)
        {
            var name = table.GetProperty("name").GetString()!;
            var file = Path.Combine(dir, table.GetProperty("file").GetString()!);
            var rows = Count(c, $"SELECT count(*) FROM db.{name}");
            Assert.Equal(rows, table.GetProperty("rows").GetInt64());
            Assert.Equal(rows, Count(c, $"SELECT count(*) FROM read_parquet('{file}')"));
            Assert.True(Difference(c, $"SELECT * FROM db.{name}", $"SELECT * FROM read_parquet('{file}')") == 0, $"{name}: values differ after the round trip");
        }
        // 14,938 record files in the snapshot (CveSnapshotTests: 14,626 published + 312 rejected, counted with tar tf).
        Assert.Equal(14_938, Count(c, $"SELECT count(*) FROM read_parquet('{dir}/cves.parquet')"));
    }

    [Fact]
    public void Csv_export_writes_a_header_and_every_row()
    {
        var dir = Fresh("csv");
        var (exit, _, error) = Run("--db", machines.A, "export", "--format", "csv", "--out", dir, "--tables", "releases,unsafe_sites");
        Assert.True(exit == 0, error);
        Assert.Equal(["manifest.json", "meta.csv", "releases.csv", "unsafe_sites.csv"], Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray());
        using var c = Reader();
        Execute(c, $"ATTACH '{machines.A}' AS db (READ_ONLY)");
        Assert.Equal(Count(c, "SELECT count(*) FROM db.unsafe_sites") + 1, File.ReadAllLines(Path.Combine(dir, "unsafe_sites.csv")).Length);
        Assert.StartsWith("release,path,line,kind,status,area,unit,doc_test", File.ReadAllText(Path.Combine(dir, "unsafe_sites.csv")));
        var (mergeExit, _, mergeError) = Run("merge", Fresh("merged") + ".duckdb", dir);
        Assert.Equal(2, mergeExit);
        Assert.Equal($"oxidation: error: {dir}: a csv export; merge reads Parquet exports (oxidation export --format parquet)", mergeError.Trim());
    }

    /// <summary>Every table of <paramref name="merged"/> equals the same table of <paramref name="expected"/>, but when and where each scan and import ran.</summary>
    private static void AssertSameDatabase(string merged, string expected)
    {
        using var c = Reader();
        Execute(c, $"ATTACH '{merged}' AS m (READ_ONLY)");
        Execute(c, $"ATTACH '{expected}' AS e (READ_ONLY)");
        var tables = Tables(c, "e");
        Assert.Equal(tables, Tables(c, "m"));
        Assert.Equal(35, tables.Count); // 21 scan (Schema.ScanTables), 6 CVE, the classification and file caches, 5 history, meta
        // The caches are not merged (Merger: a cache, not a result); every other table must be equal.
        foreach (var table in tables.Where(t => t is not ("cve_classifications" or "file_results")))
        {
            var select = table switch
            {
                "releases" => "SELECT * EXCLUDE (scanned_at) FROM {0}.releases",
                "meta" => "SELECT * FROM {0}.meta WHERE key <> 'cve_imported_at'",
                _ => $"SELECT * FROM {{0}}.{table}",
            };
            Assert.Equal(Count(c, $"SELECT count(*) FROM e.{table}"), Count(c, $"SELECT count(*) FROM m.{table}"));
            Assert.True(Difference(c, string.Format(System.Globalization.CultureInfo.InvariantCulture, select, "m"), string.Format(System.Globalization.CultureInfo.InvariantCulture, select, "e")) == 0, $"{table} differs");
        }
    }

    [Fact]
    public void Merge_of_two_databases_equals_one_database_holding_both()
    {
        var merged = Fresh("merged") + ".duckdb";
        var (exit, stdout, error) = Run("merge", merged, machines.A, machines.B);
        Assert.True(exit == 0, error);
        Assert.Contains("releases 6.1.192, 6.12.", stdout);
        AssertSameDatabase(merged, machines.Both);
    }

    [Fact]
    public void Merge_of_exports_and_databases_keeps_identical_scans_once()
    {
        // 6.1 was scanned twice, into A and into Both, on separate runs: the same rows, so they merge into one.
        var dir = Fresh("export-a");
        Assert.Equal(0, Run("--db", machines.A, "export", "--out", dir).Exit);
        var merged = Fresh("merged") + ".duckdb";
        var (exit, _, error) = Run("merge", merged, dir, machines.Both, machines.A);
        Assert.True(exit == 0, error);
        AssertSameDatabase(merged, machines.Both);
    }

    private string Tampered(string source, string sql)
    {
        var copy = Fresh("tampered") + ".duckdb";
        File.Copy(source, copy);
        using var c = new DuckDBConnection($"Data Source={copy}");
        c.Open();
        Execute(c, sql);
        return copy;
    }

    [Fact]
    public void The_same_release_scanned_differently_is_refused_and_named()
    {
        var changed = Tampered(machines.A, "UPDATE files SET code = code + 1 WHERE path = 'Makefile'");
        var merged = Fresh("merged") + ".duckdb";
        var (exit, _, error) = Run("merge", merged, machines.Both, changed);
        Assert.Equal(2, exit);
        Assert.Equal($"oxidation: error: release 6.1.192 is in {machines.Both} and in {changed}, scanned differently (files differ); refusing to keep either: merge one of them", error.Trim());
        Assert.False(File.Exists(merged));
    }

    [Fact]
    public void The_same_release_scanned_on_another_machine_merges()
    {
        // Another machine keeps its tarball elsewhere and scans at another time: where and when are not what was found.
        var elsewhere = Tampered(machines.A, "UPDATE releases SET source = '/home/ci/linux-source-6.1.tar.xz', scanned_at = TIMESTAMP '2026-01-01 00:00:00', json = json_merge_patch(json, '{\"source\": \"/home/ci/linux-source-6.1.tar.xz\"}')");
        var merged = Fresh("merged") + ".duckdb";
        var (exit, _, error) = Run("merge", merged, machines.Both, elsewhere);
        Assert.True(exit == 0, error);
        AssertSameDatabase(merged, machines.Both);
    }

    [Fact]
    public void Two_cve_snapshots_are_refused()
    {
        var other = Tampered(machines.B, "UPDATE meta SET value = 'another-snapshot' WHERE key = 'cve_fingerprint'");
        var merged = Fresh("merged") + ".duckdb";
        var (exit, _, error) = Run("merge", merged, machines.Both, other);
        Assert.Equal(2, exit);
        Assert.StartsWith("oxidation: error: the CVE tables differ: ", error);
        Assert.Contains("CVE snapshot another-snapshot", error);
        Assert.False(File.Exists(merged));

        var reclassified = Tampered(machines.B, "UPDATE cves SET class = 'other' WHERE id = 'CVE-2025-68260'");
        (exit, _, error) = Run("merge", merged, machines.Both, reclassified);
        Assert.Equal(2, exit);
        Assert.Contains("but with different rows (cves)", error);
        Assert.False(File.Exists(merged));
    }

    [Fact]
    public void Another_schema_version_is_refused_never_half_merged()
    {
        var dir = Fresh("export-v2");
        Assert.Equal(0, Run("--db", machines.A, "export", "--out", dir).Exit);
        var manifest = Path.Combine(dir, "manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"schemaVersion\": 1", "\"schemaVersion\": 2", StringComparison.Ordinal));
        var merged = Fresh("merged") + ".duckdb";
        var (exit, _, error) = Run("merge", merged, machines.B, dir);
        Assert.Equal(2, exit);
        Assert.Equal($"oxidation: error: {dir}: schema version 2, this build writes 1; refusing to merge (open it with the matching Oxidation and export again)", error.Trim());
        Assert.False(File.Exists(merged));

        // A database of a newer Oxidation: refused as every command refuses it (exit 3), nothing written.
        var newer = Tampered(machines.A, "UPDATE meta SET value = '2' WHERE key = 'schema_version'");
        (exit, _, error) = Run("merge", merged, machines.B, newer);
        Assert.True(exit == 3, error);
        Assert.Contains("written by a newer Oxidation (schema 2", error);
        Assert.False(File.Exists(merged));
    }

    [Fact]
    public void A_corrupt_parquet_file_is_named()
    {
        var dir = Fresh("export-corrupt");
        Assert.Equal(0, Run("--db", machines.A, "export", "--out", dir).Exit);
        File.WriteAllText(Path.Combine(dir, "files.parquet"), "not parquet at all");
        var merged = Fresh("merged") + ".duckdb";
        var (exit, _, error) = Run("merge", merged, dir);
        Assert.Equal(2, exit);
        Assert.StartsWith($"oxidation: error: {Path.Combine(dir, "files.parquet")}: not a readable Parquet file (", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(merged));
    }

    [Fact]
    public void A_directory_without_manifest_is_refused()
    {
        var dir = Fresh("no-manifest");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "files.parquet"), "");
        var merged = Fresh("merged") + ".duckdb";
        var (exit, _, error) = Run("merge", merged, machines.A, dir);
        Assert.Equal(2, exit);
        Assert.Equal($"oxidation: error: {dir}: no manifest.json, not an Oxidation export (make one with oxidation export)", error.Trim());
        Assert.False(File.Exists(merged));
    }

    [Fact]
    public void An_existing_output_is_refused()
    {
        var (exit, _, error) = Run("merge", machines.Both, machines.A);
        Assert.Equal(2, exit);
        Assert.Equal($"oxidation: error: {machines.Both}: exists; merge writes a new database (give an existing one as an input)", error.Trim());
    }

    [Fact]
    public void Export_into_a_non_empty_directory_is_refused_unless_forced()
    {
        var dir = Fresh("full");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "mine");
        var (exit, _, error) = Run("--db", machines.A, "export", "--out", dir);
        Assert.Equal(2, exit);
        Assert.Equal($"oxidation: error: {dir}: not empty; export into a new or empty directory, or give --force to replace its files", error.Trim());
        Assert.Equal(["notes.txt"], Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).ToArray());
        (exit, _, error) = Run("--db", machines.A, "export", "--out", dir, "--force");
        Assert.True(exit == 0, error);
        Assert.Equal(37, Directory.GetFiles(dir).Length); // 35 tables, manifest.json, and notes.txt left alone
    }

    [Fact]
    public void Export_into_an_unwritable_place_is_refused()
    {
        var file = Fresh("a-file");
        File.WriteAllText(file, "");
        var (exit, _, error) = Run("--db", machines.A, "export", "--out", file);
        Assert.Equal(2, exit);
        Assert.Equal($"oxidation: error: {file}: is a file, not a directory", error.Trim());
        (exit, _, error) = Run("--db", machines.A, "export", "--out", Path.Combine(file, "below"));
        Assert.Equal(2, exit);
        Assert.StartsWith($"oxidation: error: {Path.Combine(file, "below")}: cannot write (", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void An_unknown_format_is_one_line()
    {
        var (exit, _, error) = Run("--db", machines.A, "export", "--out", Fresh("x"), "--format", "xml");
        Assert.Equal(2, exit);
        Assert.Equal(["oxidation: error: --format xml: must be parquet or csv", "see oxidation export --help"], error.Trim().Split('\n'));
    }

    [Fact]
    public void An_unknown_table_is_refused()
    {
        var (exit, _, error) = Run("--db", machines.A, "export", "--out", Fresh("x"), "--tables", "files,nope");
        Assert.Equal(2, exit);
        Assert.StartsWith("oxidation: error: --tables: no table nope (tables: meta, releases, files,", error);
    }

    private static void Git(string repo, string date, params string[] args) => GitProcess.Run(repo, date, args);

    /// <summary>A repository with fixed identities and dates: v6.0, then a Rust commit tagged v6.1, and <paramref name="extra"/> more Rust commits.</summary>
    private string Repository(int extra)
    {
        var repo = Fresh("linux");
        Directory.CreateDirectory(repo);
        Git(repo, "2022-10-01T00:00:00Z", "init", "--quiet");
        File.WriteAllText(Path.Combine(repo, "Makefile"), "VERSION = 6\n");
        Git(repo, "2022-10-01T00:00:00Z", "add", ".");
        Git(repo, "2022-10-01T00:00:00Z", "-c", "user.name=Ada", "-c", "user.email=ada@intel.com", "commit", "--quiet", "-m", "init");
        Git(repo, "2022-10-01T00:00:00Z", "tag", "v6.0");
        Directory.CreateDirectory(Path.Combine(repo, "rust", "kernel"));
        for (var i = 0; i <= extra; i++)
        {
            File.WriteAllText(Path.Combine(repo, "rust", "kernel", "lib.rs"), "// SPDX-License-Identifier: GPL-2.0\n" + string.Concat(Enumerable.Range(0, i + 1).Select(n => $"pub fn f{n}() {{}}\n")));
            Git(repo, "2022-11-01T00:00:00Z", "add", ".");
            Git(repo, "2022-11-01T00:00:00Z", "-c", "user.name=Ada", "-c", "user.email=ada@intel.com", "commit", "--quiet", "-m", $"rust: add f{i}\n\nReviewed-by: Bob <bob@example.com>");
            if (i == 0)
                Git(repo, "2022-11-01T00:00:00Z", "tag", "v6.1");
        }
        return repo;
    }

    private string WithHistory(string repo)
    {
        var db = Fresh("history") + ".duckdb";
        File.Copy(machines.A, db);
        var (exit, _, error) = Run("--db", db, "history", repo);
        Assert.True(exit == 0, error);
        return db;
    }

    [Fact]
    public void A_history_merges_once_and_two_different_histories_are_refused()
    {
        var repo = Repository(extra: 0);
        var mined = WithHistory(repo);
        // The same repository cloned to another path (another machine): the same commits, so the same history.
        var clone = Fresh("clone");
        Git(machines.Work.FullName, "2022-11-01T00:00:00Z", "clone", "--quiet", repo, clone);
        var minedElsewhere = WithHistory(clone);
        var merged = Fresh("merged") + ".duckdb";
        var (exit, stdout, error) = Run("merge", merged, mined, machines.B, minedElsewhere);
        Assert.True(exit == 0, error);
        Assert.Contains($"history {repo}", stdout);
        using (var c = Reader())
        {
            Execute(c, $"ATTACH '{merged}' AS m (READ_ONLY)");
            Execute(c, $"ATTACH '{mined}' AS h (READ_ONLY)");
            foreach (var table in new[] { "history_commits", "history_trailers", "history_headers", "history_lines", "history_releases" })
                Assert.True(Difference(c, $"SELECT * FROM m.{table}", $"SELECT * FROM h.{table}") == 0, $"{table} differs");
            // One commit in v6.0..v6.1 (rust: add f0; init is v6.0 itself, as HistoryCommandTests counts it) with one Reviewed-by.
            Assert.Equal(1, Count(c, "SELECT count(*) FROM m.history_commits WHERE release = '6.1'"));
            Assert.Equal(1, Count(c, "SELECT count(*) FROM m.history_commits"));
            Assert.Equal(1, Count(c, "SELECT count(*) FROM m.history_trailers WHERE key = 'Reviewed-by'"));
        }

        var longer = WithHistory(Repository(extra: 1));
        (exit, _, error) = Run("merge", Fresh("merged") + ".duckdb", mined, longer);
        Assert.Equal(2, exit);
        Assert.StartsWith($"oxidation: error: the histories differ: {mined} holds the history of {repo}, {longer} the history of ", error);
        Assert.Contains("(rows of history_commits", error);
    }

    /// <summary>
    /// docs/export.md's worked example: two machines each scan a share of the trees and export Parquet; the exports are
    /// queried together with DuckDB by a glob over the directories, and merged into one database.
    /// </summary>
    [Fact]
    public void The_worked_example_of_docs_export_md_runs()
    {
        var cluster = Fresh("cluster");
        Directory.CreateDirectory(cluster);
        Assert.Equal(0, CliRunner.Run(cluster, "--db", machines.A, "export", "--out", "machine1").Exit);
        Assert.Equal(0, CliRunner.Run(cluster, "--db", machines.B, "export", "--out", "machine2").Exit);
        using var c = Reader();
        Execute(c, $"SET file_search_path = '{cluster}'");
        Execute(c, $"ATTACH '{machines.Both}' AS db (READ_ONLY)");
        // The query of the document: unsafe blocks and how many carry a SAFETY comment, per release, over every machine.
        const string Query = "SELECT release, count(*) AS blocks, count(*) FILTER (status = 'justified') AS justified FROM read_parquet('{0}') WHERE kind = 'block' AND NOT doc_test GROUP BY release";
        var glob = Path.Combine(cluster, "*", "unsafe_sites.parquet");
        var fromParquet = string.Format(System.Globalization.CultureInfo.InvariantCulture, Query, glob);
        var fromDatabase = "SELECT release, count(*), count(*) FILTER (status = 'justified') FROM db.unsafe_sites WHERE kind = 'block' AND NOT doc_test GROUP BY release";
        Assert.Equal(2, Count(c, $"SELECT count(*) FROM ({fromParquet})"));
        Assert.Equal(0, Difference(c, fromParquet, fromDatabase));
        var merged = Path.Combine(cluster, "all.duckdb");
        Assert.Equal(0, CliRunner.Run(cluster, "merge", "all.duckdb", "machine1", "machine2").Exit);
        AssertSameDatabase(merged, machines.Both);
    }
}
