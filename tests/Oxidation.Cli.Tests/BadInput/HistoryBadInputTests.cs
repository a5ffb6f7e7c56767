using System.Text.Json;
using Oxidation.Store;

namespace Oxidation.Cli.Tests.BadInput;

/// <summary>
/// <c>oxidation history</c> given broken or odd input (issue 10): one line naming the thing and the reason, exit 2,
/// and the database left as it was.
/// </summary>
public sealed class HistoryBadInputTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("oxidation-history-bad-");

    public void Dispose()
    {
        foreach (var f in _work.EnumerateFiles("*", SearchOption.AllDirectories))
            f.Attributes = FileAttributes.Normal;
        _work.Delete(recursive: true);
    }

    private static string Git(string repo, string date, params string[] args) => GitProcess.Run(repo, date, args);

    private static void Commit(string repo, string date, string who, string message, string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(repo, path))!);
        File.WriteAllText(Path.Combine(repo, path), content);
        Git(repo, date, "add", ".");
        Git(repo, date, "-c", "user.name=" + who.Split('@')[0], "-c", "user.email=" + who, "commit", "--quiet", "-m", message);
    }

    /// <summary>v6.0, v6.1 (Rust arrives, reviewed by bob@example.com), v6.2 (a Rust change by carol@example.com) and one unreleased commit, in one pack.</summary>
    private string Repository(string name = "linux")
    {
        var repo = _work.CreateSubdirectory(name).FullName;
        Git(repo, "2022-10-01T00:00:00Z", "init", "--quiet");
        Commit(repo, "2022-10-01T00:00:00Z", "ada@intel.com", "init", "Makefile", "VERSION = 6\n");
        Git(repo, "2022-10-01T00:00:00Z", "tag", "v6.0");
        Commit(repo, "2022-11-01T00:00:00Z", "ada@intel.com", "rust: add\n\nReviewed-by: Bob <bob@example.com>", "rust/kernel/lib.rs", "// SPDX-License-Identifier: GPL-2.0\npub fn f() {}\n");
        Git(repo, "2022-11-01T00:00:00Z", "tag", "v6.1");
        Commit(repo, "2022-12-01T00:00:00Z", "carol@example.com", "rust: add g", "rust/kernel/lib.rs", "// SPDX-License-Identifier: GPL-2.0\npub fn f() {}\npub fn g() {}\n");
        Git(repo, "2022-12-01T00:00:00Z", "tag", "v6.2");
        Commit(repo, "2023-01-01T00:00:00Z", "ada@intel.com", "x: c", "drivers/x.c", "int x;\n");
        Git(repo, "2023-01-01T00:00:00Z", "gc", "--quiet");
        return repo;
    }

    private static long Rows(string db, string sql)
    {
        using var store = OxidationDatabase.OpenReadOnly(db);
        return Convert.ToInt64(store.Query(sql)[0][0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("pack truncated")]
    [InlineData("pack deleted")]
    [InlineData("every object gone")]
    public void A_repository_with_missing_objects_is_an_error_and_the_stored_history_stays(string damage)
    {
        var repo = Repository();
        var head = Git(repo, "2023-01-01T00:00:00Z", "rev-parse", "HEAD");
        var db = Path.Combine(_work.FullName, "h.duckdb");
        var (exit, _, error) = CliRunner.Run(_work.FullName, "history", repo, "--db", db);
        Assert.True(exit == 0, error);
        Assert.Equal(3L, Rows(db, "SELECT count(*) FROM history_commits")); // v6.0's root is before --since v6.1

        var copy = Path.Combine(_work.FullName, "damaged");
        CopyDirectory(repo, copy);
        var packs = Path.Combine(copy, ".git", "objects", "pack");
        var pack = Directory.GetFiles(packs, "*.pack").Single();
        switch (damage)
        {
            case "pack truncated":
                using (var f = new FileStream(pack, FileMode.Open))
                    f.SetLength(f.Length / 2);
                break;
            case "pack deleted":
                File.Delete(pack);
                break;
            default:
                foreach (var dir in Directory.GetDirectories(Path.Combine(copy, ".git", "objects")).Where(d => Path.GetFileName(d).Length == 2))
                    Directory.Delete(dir, recursive: true);
                foreach (var file in Directory.GetFiles(packs))
                    File.Delete(file);
                break;
        }

        (exit, var stdout, error) = CliRunner.Run(_work.FullName, "history", copy, "--db", db);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"oxidation: error: {copy}: ", line, StringComparison.Ordinal);
        if (damage == "pack truncated")
            Assert.Contains($"{pack}: does not match its index (truncated or replaced)", line, StringComparison.Ordinal);
        else
            Assert.Contains($"HEAD (refs/heads/", line, StringComparison.Ordinal);
        if (damage != "pack truncated")
            Assert.Contains($"commit {head}, which is missing from the repository", line, StringComparison.Ordinal);
        if (damage == "pack deleted")
            Assert.Contains($"{Path.ChangeExtension(pack, ".idx")} has no pack file", line, StringComparison.Ordinal);
        Assert.Equal(3L, Rows(db, "SELECT count(*) FROM history_commits"));
        Assert.Equal(3L, Rows(db, "SELECT count(*) FROM history_releases"));
    }

    [Fact]
    public void A_pack_truncated_in_place_is_an_error_and_the_stored_history_stays()
    {
        var repo = Repository();
        var db = Path.Combine(_work.FullName, "h.duckdb");
        Assert.Equal(0, CliRunner.Run(_work.FullName, "history", repo, "--db", db).Exit);
        var pack = Directory.GetFiles(Path.Combine(repo, ".git", "objects", "pack"), "*.pack").Single();
        File.SetAttributes(pack, FileAttributes.Normal);
        using (var f = new FileStream(pack, FileMode.Open))
            f.SetLength(f.Length - 1);
        var (exit, _, error) = CliRunner.Run(_work.FullName, "history", repo, "--db", db);
        Assert.Equal(2, exit);
        Assert.Contains($"{pack}: does not match its index (truncated or replaced)", error, StringComparison.Ordinal);
        Assert.Equal(3L, Rows(db, "SELECT count(*) FROM history_commits"));
    }

    [Fact]
    public void A_changed_employer_map_re_attributes_the_stored_commits()
    {
        var repo = Repository();
        var db = Path.Combine(_work.FullName, "h.duckdb");
        var (exit, _, error) = CliRunner.Run(_work.FullName, "history", repo, "--db", db);
        Assert.True(exit == 0, error);
        Assert.Equal(1L, Rows(db, "SELECT count(*) FROM history_commits WHERE employer = '(Unknown)'"));
        Assert.Equal(1L, Rows(db, "SELECT count(*) FROM history_trailers WHERE employer = '(Unknown)'"));

        var map = Path.Combine(_work.FullName, "map.txt");
        File.WriteAllText(map, "example.com  Example Corp\n");
        string stdout;
        (exit, stdout, error) = CliRunner.Run(_work.FullName, "history", repo, "--employers", map, "--json", "--db", db);
        Assert.True(exit == 0, error);
        Assert.Equal("oxidation: note: the employer map differs from the one the stored history was mined with: 3 stored commits re-attributed (1 changed employer)", error.Trim());
        Assert.Equal(1L, Rows(db, "SELECT count(*) FROM history_commits WHERE employer = 'Example Corp' AND author_email = 'carol@example.com'"));
        Assert.Equal(1L, Rows(db, "SELECT count(*) FROM history_trailers WHERE employer = 'Example Corp' AND email = 'bob@example.com'"));
        using (var json = JsonDocument.Parse(stdout))
        {
            Assert.Equal(0.0, json.RootElement.GetProperty("unknownEmployerShare").GetDouble());
            Assert.Equal(1.0, json.RootElement.GetProperty("releases")[0].GetProperty("reviewedByOtherEmployerShare").GetDouble());
        }

        // The same map again: nothing to re-attribute, nothing said.
        (exit, _, error) = CliRunner.Run(_work.FullName, "history", repo, "--employers", map, "--db", db);
        Assert.True(exit == 0, error);
        Assert.Equal("", error);

        // Back to the shipped map: the attribution follows.
        (exit, _, error) = CliRunner.Run(_work.FullName, "history", repo, "--db", db);
        Assert.True(exit == 0, error);
        Assert.Contains("3 stored commits re-attributed (1 changed employer)", error, StringComparison.Ordinal);
        Assert.Equal(0L, Rows(db, "SELECT count(*) FROM history_trailers WHERE employer = 'Example Corp'"));
    }

    [Fact]
    public void A_release_tag_with_a_huge_number_is_skipped_with_a_note()
    {
        var repo = Repository();
        Git(repo, "2023-01-01T00:00:00Z", "tag", "v99999999999.1");
        var db = Path.Combine(_work.FullName, "h.duckdb");
        var (exit, _, error) = CliRunner.Run(_work.FullName, "history", repo, "--db", db);
        Assert.True(exit == 0, error);
        Assert.Equal("oxidation: warning: tag v99999999999.1: the release number is too large; the tag is skipped", error.Trim());
        Assert.Equal(3L, Rows(db, "SELECT count(*) FROM history_commits"));
        Assert.Equal(1L, Rows(db, "SELECT count(*) FROM history_commits WHERE release = '6.2+'"));
    }

    [Fact]
    public void Since_after_until_is_an_error_and_no_database_is_made()
    {
        var repo = Repository();
        var db = Path.Combine(_work.FullName, "h.duckdb");
        var (exit, _, error) = CliRunner.Run(_work.FullName, "history", repo, "--since", "v6.3", "--until", "v6.2", "--db", db);
        Assert.Equal(2, exit);
        Assert.Equal("oxidation: error: --since v6.3 is after --until v6.2: no release to mine", error.Trim());
        Assert.False(File.Exists(db));
    }

    [Fact]
    public void An_employer_map_that_is_a_directory_is_named_as_one()
    {
        var repo = Repository();
        var dir = _work.CreateSubdirectory("maps").FullName;
        var (exit, _, error) = CliRunner.Run(_work.FullName, "history", repo, "--employers", dir, "--db", Path.Combine(_work.FullName, "h.duckdb"));
        Assert.Equal(2, exit);
        Assert.Equal($"oxidation: error: {dir}: is a directory, not an employer map", error.Trim());
    }
}
