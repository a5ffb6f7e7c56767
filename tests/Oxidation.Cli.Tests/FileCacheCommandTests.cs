using Oxidation.Store;

namespace Oxidation.Cli.Tests;

/// <summary><c>releases</c> and <c>scan --rev</c> keep file results in the database and reuse them in later runs.</summary>
public sealed class FileCacheCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("oxidation-file-cache-");

    public void Dispose() => _work.Delete(recursive: true);

    private static string Git(string repo, params string[] args) => GitProcess.Run(repo, "2024-01-01T00:00:00Z", args);

    private static void Write(string repo, string path, string text)
    {
        var full = Path.Combine(repo, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private static void Commit(string repo, string tag)
    {
        Git(repo, "add", ".");
        Git(repo, "-c", "user.name=Ada", "-c", "user.email=ada@intel.com", "commit", "--quiet", "-m", tag);
        Git(repo, "tag", tag);
    }

    [Fact]
    public void A_later_run_reads_only_the_files_the_database_does_not_know()
    {
        // v6.1: Makefile (kept for the analyses: never cached), README and init/main.c (cached).
        // v6.2: init/main.c changed, drivers/x.c added, README unchanged.
        var repo = _work.CreateSubdirectory("linux").FullName;
        Git(repo, "init", "--quiet");
        Write(repo, "Makefile", "VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\nEXTRAVERSION =\n");
        Write(repo, "README", "Linux kernel\n");
        Write(repo, "init/main.c", "int main;\n");
        Commit(repo, "v6.1");
        Write(repo, "Makefile", "VERSION = 6\nPATCHLEVEL = 2\nSUBLEVEL = 0\nEXTRAVERSION =\n");
        Write(repo, "init/main.c", "int main;\nint more;\n");
        Write(repo, "drivers/x.c", "int x;\n");
        Commit(repo, "v6.2");
        var db = Path.Combine(_work.FullName, "r.duckdb");

        var (exit, _, error) = CliRunner.Run(_work.FullName, "--db", db, "releases", repo, "--until", "v6.1");
        Assert.True(exit == 0, error);
        Assert.Contains("v6.1 (1/1): 6.1, 3 files: 3 read, 0 reused;", error);
        using (var store = OxidationDatabase.OpenReadOnly(db))
            Assert.Equal(["README", "main.c"], store.Query("SELECT name FROM file_results ORDER BY name").Select(r => (string)r[0]!));

        (exit, _, error) = CliRunner.Run(_work.FullName, "--db", db, "releases", repo);
        Assert.True(exit == 0, error);
        Assert.Contains("v6.2 (1/1): 6.2, 4 files: 3 read, 1 reused (1 file results from the database);", error);

        // Everything but the Makefile is known now; the JSON is the one a scan without the cache gives.
        (exit, var stdout, error) = CliRunner.Run(_work.FullName, "--db", db, "scan", repo, "--rev", "v6.2");
        Assert.True(exit == 0, error);
        Assert.Contains("3 files from the file cache (blobs counted before under the same name), 1 read", stdout);
        (exit, var cached, error) = CliRunner.Run(_work.FullName, "--db", db, "scan", repo, "--rev", "v6.2", "--json");
        Assert.True(exit == 0, error);
        (exit, var uncached, error) = CliRunner.Run(_work.FullName, "scan", repo, "--rev", "v6.2", "--json", "--no-store");
        Assert.True(exit == 0, error);
        Assert.Equal(uncached, cached);

        // scan --rev makes no database just to look in it, and a failed one leaves the database as it was.
        var none = Path.Combine(_work.FullName, "none.duckdb");
        (exit, _, error) = CliRunner.Run(_work.FullName, "--db", none, "scan", repo, "--rev", "v9.9");
        Assert.Equal(2, exit);
        Assert.False(File.Exists(none), error);
        var before = File.ReadAllBytes(db);
        (exit, _, _) = CliRunner.Run(_work.FullName, "--db", db, "scan", repo, "--rev", "v9.9");
        Assert.Equal(2, exit);
        Assert.Equal(before, File.ReadAllBytes(db));

        // The first scan --rev into a new database stores its file results too: the next one reads only the Makefile.
        var fresh = Path.Combine(_work.FullName, "fresh.duckdb");
        (exit, _, error) = CliRunner.Run(_work.FullName, "--db", fresh, "scan", repo, "--rev", "v6.2");
        Assert.True(exit == 0, error);
        (exit, stdout, error) = CliRunner.Run(_work.FullName, "--db", fresh, "scan", repo, "--rev", "v6.2");
        Assert.True(exit == 0, error);
        Assert.Contains("3 files from the file cache (blobs counted before under the same name), 1 read", stdout);
    }
}
