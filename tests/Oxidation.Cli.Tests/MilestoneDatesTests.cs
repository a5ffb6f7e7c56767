using System.Text.Json;

namespace Oxidation.Cli.Tests;

/// <summary>
/// Milestones over releases scanned from git that data/kernel-releases.json does not date: each is dated by its commit's
/// committer date (UTC), so every tag of a clone newer than the catalog still has a date.
/// </summary>
public sealed class MilestoneDatesTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("oxidation-milestone-dates-");

    public void Dispose()
    {
        foreach (var f in _work.EnumerateFiles("*", SearchOption.AllDirectories))
            f.Attributes = FileAttributes.Normal;
        _work.Delete(recursive: true);
    }

    [Fact]
    public void Releases_from_git_the_catalog_lacks_are_dated_by_their_commits()
    {
        var repo = _work.CreateSubdirectory("linux").FullName;
        GitProcess.Run(repo, "2026-01-01T00:00:00Z", "init", "--quiet");
        // 8.1 at 21:30 -02:00 on 2030-04-12 is 23:30 UTC, still the 12th; 8.2 at 09:00 +02:00 is 07:00 UTC on the 14th.
        foreach (var (minor, module, date) in new[] { (1, "a", "2030-04-12T21:30:00-02:00"), (2, "b", "2030-06-14T09:00:00+02:00") })
        {
            File.WriteAllText(Path.Combine(repo, "Makefile"), $"VERSION = 8\nPATCHLEVEL = {minor}\nSUBLEVEL = 0\nEXTRAVERSION =\n");
            Directory.CreateDirectory(Path.Combine(repo, "rust", "kernel"));
            File.WriteAllText(Path.Combine(repo, "rust", "kernel", module + ".rs"), "// SPDX-License-Identifier: GPL-2.0\npub fn f() {}\n");
            GitProcess.Run(repo, date, ("Ada", "ada@intel.com"), "add", ".");
            GitProcess.Run(repo, date, ("Ada", "ada@intel.com"), "commit", "--quiet", "-m", $"Linux 8.{minor}");
            GitProcess.Run(repo, date, "tag", $"v8.{minor}");
        }
        var db = Path.Combine(_work.FullName, "m.duckdb");
        var (exit, _, error) = CliRunner.Run(_work.FullName, "--db", db, "releases", repo, "--since", "v8.1");
        Assert.True(exit == 0, error);

        (exit, var stdout, error) = CliRunner.Run(_work.FullName, "--db", db, "milestones", "--kind", "abstraction", "--json");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(["8.1 2030-04-12", "8.2 2030-06-14"],
            json.RootElement.GetProperty("releases").EnumerateArray().Select(r => $"{r.GetProperty("release").GetString()} {r.GetProperty("date").GetString()}"));
        var b = json.RootElement.GetProperty("milestones").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "b");
        Assert.Equal("8.2", b.GetProperty("first").GetString());
        Assert.Equal("2030-06-14", b.GetProperty("firstDate").GetString());
        Assert.Equal("8.1", b.GetProperty("before").GetString());
        Assert.Equal("2030-04-12", b.GetProperty("beforeDate").GetString());

        // The scan JSON says where the date came from; a tarball or directory has none.
        (exit, stdout, error) = CliRunner.Run(_work.FullName, "--db", Path.Combine(_work.FullName, "s.duckdb"), "scan", repo, "--rev", "v8.2", "--json");
        Assert.True(exit == 0, error);
        using var scan = JsonDocument.Parse(stdout);
        Assert.Equal("2030-06-14", scan.RootElement.GetProperty("sourceDate").GetString());
        (exit, stdout, error) = CliRunner.Run(_work.FullName, "--db", Path.Combine(_work.FullName, "d.duckdb"), "scan", repo, "--json");
        Assert.True(exit == 0, error);
        using var directory = JsonDocument.Parse(stdout);
        Assert.Equal(JsonValueKind.Null, directory.RootElement.GetProperty("sourceDate").ValueKind);
    }
}
