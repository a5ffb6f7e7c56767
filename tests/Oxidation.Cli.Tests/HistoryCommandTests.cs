using System.Diagnostics;
using System.Text.Json;

namespace Oxidation.Cli.Tests;

public sealed class HistoryCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("oxidation-history-cli-");

    public void Dispose()
    {
        foreach (var f in _work.EnumerateFiles("*", SearchOption.AllDirectories))
            f.Attributes = FileAttributes.Normal;
        _work.Delete(recursive: true);
    }

    private static void Git(string repo, string date, params string[] args) => GitProcess.Run(repo, date, args);

    private string Repository()
    {
        var repo = _work.CreateSubdirectory("linux").FullName;
        Git(repo, "2022-10-01T00:00:00Z", "init", "--quiet");
        File.WriteAllText(Path.Combine(repo, "Makefile"), "VERSION = 6\n");
        Git(repo, "2022-10-01T00:00:00Z", "add", ".");
        Git(repo, "2022-10-01T00:00:00Z", "-c", "user.name=Ada", "-c", "user.email=ada@intel.com", "commit", "--quiet", "-m", "init");
        Git(repo, "2022-10-01T00:00:00Z", "tag", "v6.0");
        Directory.CreateDirectory(Path.Combine(repo, "rust", "kernel"));
        File.WriteAllText(Path.Combine(repo, "rust", "kernel", "lib.rs"), "// SPDX-License-Identifier: GPL-2.0\npub fn f() {}\n");
        Git(repo, "2022-11-01T00:00:00Z", "add", ".");
        Git(repo, "2022-11-01T00:00:00Z", "-c", "user.name=Ada", "-c", "user.email=ada@intel.com", "commit", "--quiet", "-m", "rust: add\n\nReviewed-by: Bob <bob@example.com>");
        Git(repo, "2022-11-01T00:00:00Z", "tag", "v6.1");
        return repo;
    }

    [Fact]
    public void A_corrupt_object_is_named_and_the_releases_before_it_are_kept()
    {
        var repo = Repository();
        File.WriteAllText(Path.Combine(repo, "rust", "kernel", "lib.rs"), "// SPDX-License-Identifier: GPL-2.0\npub fn f() {}\npub fn g() {}\n");
        Git(repo, "2022-12-01T00:00:00Z", "add", ".");
        Git(repo, "2022-12-01T00:00:00Z", "-c", "user.name=Ada", "-c", "user.email=ada@intel.com", "commit", "--quiet", "-m", "rust: add g");
        var rev = new ProcessStartInfo("git", ["-C", repo, "rev-parse", "HEAD:rust/kernel/lib.rs"]) { RedirectStandardOutput = true };
        using (var p = Process.Start(rev)!)
        {
            var blob = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            var file = new FileInfo(Path.Combine(repo, ".git", "objects", blob[..2], blob[2..]));
            file.Attributes = FileAttributes.Normal;
            File.WriteAllBytes(file.FullName, [0x78, 0x01, 0xde, 0xad, 0xbe, 0xef]); // a zlib header, then garbage
        }
        var db = Path.Combine(_work.FullName, "corrupt.duckdb");
        var (exit, _, error) = CliRunner.Run(_work.FullName, "history", repo, "--db", db);
        Assert.Equal(2, exit);
        Assert.StartsWith($"oxidation: error: {repo}: rust/kernel/lib.rs (", error); // the object, by path and id
        Assert.Contains("the releases mined before it are stored", error);
        using var store = Oxidation.Store.OxidationDatabase.OpenReadOnly(db);
        Assert.Equal(1L, store.Query("SELECT count(*) FROM history_commits WHERE release = '6.1'")[0][0]);
        Assert.Equal(0L, store.Query("SELECT count(*) FROM history_commits WHERE unreleased")[0][0]);
    }

    [Fact]
    public void The_history_tables_keys_identify_their_rows()
    {
        var repo = Repository();
        File.WriteAllText(Path.Combine(repo, "rust", "kernel", "lib.rs"), "// SPDX-License-Identifier: GPL-2.0\npub fn f() {}\npub fn g() {}\n");
        Directory.CreateDirectory(Path.Combine(repo, "include", "linux"));
        File.WriteAllText(Path.Combine(repo, "include", "linux", "g.h"), "void g(void);\n");
        Git(repo, "2022-12-01T00:00:00Z", "add", ".");
        // The same reviewer twice, and as acker: one row per trailer key and person.
        Git(repo, "2022-12-01T00:00:00Z", "-c", "user.name=Ada", "-c", "user.email=ada@intel.com", "commit", "--quiet", "-m",
            "rust: add g\n\nReviewed-by: Bob <bob@example.com>\nReviewed-by: Bob <bob@example.com>\nAcked-by: Bob <bob@example.com>");
        var db = Path.Combine(_work.FullName, "keys.duckdb");
        var (exit, _, error) = CliRunner.Run(_work.FullName, "history", repo, "--db", db);
        Assert.True(exit == 0, error);
        using var store = Oxidation.Store.OxidationDatabase.OpenReadOnly(db);
        foreach (var t in Oxidation.Store.TableRegistry.All.Where(t => t.Group == Oxidation.Store.TableGroup.History))
        {
            var key = string.Join(", ", t.Key);
            var rows = store.Query($"SELECT count(*), count(DISTINCT ({key})) FROM {t.Name}")[0];
            Assert.True((long)rows[0]! > 0, $"{t.Name} is empty");
            Assert.True(Equals(rows[0], rows[1]), $"{t.Name} ({key}): {rows[0]} rows, {rows[1]} keys");
        }
        Assert.Equal(3L, store.Query("SELECT count(*) FROM history_trailers")[0][0]);
    }

    [Fact]
    public void History_reports_releases_as_json_with_the_users_employer_map()
    {
        var repo = Repository();
        var map = Path.Combine(_work.FullName, "map.txt");
        File.WriteAllText(map, "example.com  Example Corp\n");
        var (exit, stdout, error) = CliRunner.Run(_work.FullName, "history", repo, "--employers", map, "--json", "--db", Path.Combine(_work.FullName, "h.duckdb"));
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(stdout);
        var release = json.RootElement.GetProperty("releases")[0];
        Assert.Equal("6.1", release.GetProperty("release").GetString());
        Assert.Equal(1, release.GetProperty("rustChangesets").GetInt32());
        Assert.Equal(1.0, release.GetProperty("reviewedByOtherEmployerShare").GetDouble()); // Example Corp reviewed Intel
    }

    [Fact]
    public void A_bad_employer_map_names_the_file_and_line()
    {
        var repo = Repository();
        var map = Path.Combine(_work.FullName, "bad.txt");
        File.WriteAllText(map, "# ok\nexample.com\n");
        var (exit, _, error) = CliRunner.Run(_work.FullName, "history", repo, "--employers", map, "--db", Path.Combine(_work.FullName, "h.duckdb"));
        Assert.Equal(2, exit);
        Assert.Equal($"oxidation: error: {map}:2: expected 'address-or-domain  Employer  [< yyyy-mm-dd]'", error.Trim());
    }

    [Fact]
    public void A_directory_that_is_not_a_repository_is_refused()
    {
        var dir = _work.CreateSubdirectory("plain").FullName;
        var (exit, _, error) = CliRunner.Run(_work.FullName, "history", dir, "--db", Path.Combine(_work.FullName, "h.duckdb"));
        Assert.Equal(2, exit);
        Assert.StartsWith($"oxidation: error: {dir}: not a git repository", error.Trim(), StringComparison.Ordinal);
    }
}
