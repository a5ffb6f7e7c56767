using Oxidation.Store;

namespace Oxidation.Cli.Tests;

/// <summary>
/// <c>oxidation releases</c> on repositories that are broken the ways clones break: a corrupt object, a shallow clone,
/// a run that fails half way. Each tag is stored in its own transaction, so what was scanned before the failure stays,
/// and a rerun scans only what is missing.
/// </summary>
public sealed class ReleasesBadInputTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("oxidation-releases-bad-");

    public void Dispose()
    {
        foreach (var f in _work.EnumerateFiles("*", SearchOption.AllDirectories))
            f.Attributes = FileAttributes.Normal;
        _work.Delete(recursive: true);
    }

    private static string Git(string repo, params string[] args) => GitProcess.Run(repo, "2024-01-01T00:00:00Z", args);

    private static void Write(string repo, string path, string text)
    {
        var full = Path.Combine(repo, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    /// <summary>Three kernel-shaped releases v6.1, v6.2, v6.3: each adds a Rust file; v6.3's is <c>rust/kernel/c.rs</c>.</summary>
    private string Repository()
    {
        var repo = _work.CreateSubdirectory("linux").FullName;
        Git(repo, "init", "--quiet");
        for (var minor = 1; minor <= 3; minor++)
        {
            Write(repo, "Makefile", $"VERSION = 6\nPATCHLEVEL = {minor}\nSUBLEVEL = 0\nEXTRAVERSION =\n");
            Write(repo, $"rust/kernel/{(char)('a' + minor - 1)}.rs", $"// SPDX-License-Identifier: GPL-2.0\npub fn f{minor}() {{}}\n");
            Git(repo, "add", ".");
            Git(repo, "-c", "user.name=Ada", "-c", "user.email=ada@intel.com", "commit", "--quiet", "-m", $"Linux 6.{minor}");
            Git(repo, "tag", $"v6.{minor}");
        }
        return repo;
    }

    private static List<string> Stored(string db)
    {
        using var store = OxidationDatabase.OpenReadOnly(db);
        return [.. store.Query("SELECT release FROM releases ORDER BY release").Select(r => (string)r[0]!)];
    }

    [Fact]
    public void A_corrupt_object_fails_its_tag_only_and_a_rerun_after_repair_scans_only_that_tag()
    {
        var repo = Repository();
        var blob = Git(repo, "rev-parse", "v6.3:rust/kernel/c.rs");
        var file = new FileInfo(Path.Combine(repo, ".git", "objects", blob[..2], blob[2..]));
        var good = File.ReadAllBytes(file.FullName);
        file.Attributes = FileAttributes.Normal;
        File.WriteAllBytes(file.FullName, [0x78, 0x01, 0xde, 0xad, 0xbe, 0xef]); // a zlib header, then garbage
        var db = Path.Combine(_work.FullName, "r.duckdb");

        var (exit, stdout, error) = CliRunner.Run(_work.FullName, "--db", db, "releases", repo);
        Assert.Equal(2, exit);
        Assert.Contains("oxidation: error: tag v6.3: ", error);
        Assert.Contains("rust/kernel/c.rs", error); // the object, by path
        Assert.Contains("2 releases stored", stdout);
        Assert.Contains("1 tag failed", stdout);
        Assert.Equal(["6.1", "6.2"], Stored(db));

        File.WriteAllBytes(file.FullName, good);
        (exit, stdout, error) = CliRunner.Run(_work.FullName, "--db", db, "releases", repo);
        Assert.True(exit == 0, error);
        Assert.Contains("3 release tags in range, 2 already stored, 1 to scan", error);
        Assert.Contains("1 release stored", stdout);
        Assert.Equal(["6.1", "6.2", "6.3"], Stored(db));
    }

    [Fact]
    public void A_shallow_clone_names_the_tags_whose_commits_it_lacks_and_scans_the_rest()
    {
        var repo = Repository();
        var shallow = Path.Combine(_work.FullName, "shallow");
        // A clone of the tip only (git clone --depth 1 would fetch every tag's commit too, shallow: those scan).
        Git(_work.FullName, "clone", "--quiet", "--depth", "1", "--no-tags", "file://" + repo, shallow);
        Git(shallow, "tag", "v6.3");
        // The older tags point at commits the clone does not hold (refs copied as a careless mirror would).
        foreach (var tag in new[] { "v6.1", "v6.2" })
            File.WriteAllText(Path.Combine(shallow, ".git", "refs", "tags", tag), Git(repo, "rev-parse", tag) + "\n");
        var db = Path.Combine(_work.FullName, "s.duckdb");

        var (exit, stdout, error) = CliRunner.Run(_work.FullName, "--db", db, "releases", shallow);
        Assert.Equal(2, exit);
        Assert.Contains("tag v6.1: its object is missing from the repository (a shallow clone?)", error);
        Assert.Contains("tag v6.2: its object is missing from the repository (a shallow clone?)", error);
        Assert.Contains("1 release stored", stdout);
        Assert.Equal(["6.3"], Stored(db));
    }

    [Fact]
    public void A_tag_whose_tree_is_not_a_kernel_tree_is_named_and_the_others_are_stored()
    {
        var repo = Repository();
        Git(repo, "rm", "--quiet", "Makefile");
        Git(repo, "-c", "user.name=Ada", "-c", "user.email=ada@intel.com", "commit", "--quiet", "-m", "no Makefile");
        Git(repo, "tag", "v6.4");
        var db = Path.Combine(_work.FullName, "k.duckdb");

        var (exit, stdout, error) = CliRunner.Run(_work.FullName, "--db", db, "releases", repo);
        Assert.Equal(2, exit);
        Assert.Contains("tag v6.4: ", error);
        Assert.Contains("not a kernel tree (no top-level Makefile with VERSION)", error);
        Assert.Contains("3 releases stored", stdout);
        Assert.Equal(["6.1", "6.2", "6.3"], Stored(db));
    }
}
