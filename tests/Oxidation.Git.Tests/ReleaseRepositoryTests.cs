using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Oxidation.History;
using Oxidation.Model;
using Oxidation.Rust;
using Oxidation.Scanning;
using Oxidation.Tree;

namespace Oxidation.Git.Tests;

/// <summary>
/// The real kernel trees read from git objects: a bare repository built by scripts/make-release-repo.sh from Debian's
/// linux-source 6.1 and 6.12 tarballs (tags v6.1, v6.12; cached outside the checkout, built once). The expected values are
/// the tarball scans themselves, which the other tests check against cloc and grep.
/// </summary>
public sealed class ReleaseRepositoryTests
{
    private const string Tarball61 = "/usr/src/linux-source-6.1.tar.xz";
    private const string Tarball612 = "/usr/src/linux-source-6.12.tar.xz";

    private static readonly Lazy<string> Repository = new(Build);

    private static string Build()
    {
        var script = Path.Combine(Root(), "scripts", "make-release-repo.sh");
        var start = new ProcessStartInfo("bash", [script, Tarball61, Tarball612]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"make-release-repo.sh failed: {stderr.Result}");
        return stdout.Trim();
    }

    private static string Root([CallerFilePath] string here = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));

    private static string Json(ScanResult result)
    {
        using var stream = new MemoryStream();
        ScanJson.Write(stream, result with { Source = "", SourceDate = null });
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void EqualByLine(string expected, string actual)
    {
        if (expected == actual)
            return;
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var i = 0;
        while (i < Math.Min(a.Length, b.Length) && a[i] == b[i])
            i++;
        Assert.Fail($"first difference at line {i + 1}: tarball {(i < a.Length ? a[i] : "<end>")} | git {(i < b.Length ? b[i] : "<end>")}");
    }

    [Theory]
    [InlineData("v6.1", Tarball61, "6.1.")]
    [InlineData("v6.12", Tarball612, "6.12.")]
    public void The_scan_at_a_tag_equals_the_tarball_scan_field_by_field(string tag, string tarball, string releasePrefix)
    {
        var tree = GitSourceTree.Open(Repository.Value, tag);
        var fromGit = Scanner.Scan(tree, Environment.ProcessorCount);
        var fromTarball = Scanner.Scan(ScanOptions.For(tarball));
        Assert.StartsWith(releasePrefix, fromGit.Release, StringComparison.Ordinal); // Debian's stable update, e.g. 6.12.118
        Assert.Equal($"{Repository.Value}@{tree.Commit}", fromGit.Source);
        Assert.Equal(40, tree.Commit.Length);
        EqualByLine(Json(fromTarball), Json(fromGit));
    }

    [Fact]
    public void Releases_scans_each_tag_once_reusing_blobs_and_equals_the_tarball_scans()
    {
        var scanned = new List<ScannedTag>();
        var scanner = new ReleaseScanner(new ReleasesOptions(Repository.Value, "v6.1", null, Candidates: false, Stable: false, Environment.ProcessorCount));
        scanner.Scan(new Dictionary<string, string>(), scanned.Add);
        Assert.Equal(["v6.1", "v6.12"], scanned.Select(t => t.Tag.Tag));
        Assert.Empty(scanner.Failures);
        // The second tag reads only the blobs the first did not have: of 6.12's 86,630 files, 53,220 are added or changed
        // (`git diff-tree -r --no-renames --diff-filter=AMT v6.1 v6.12`, links left out), so 33,410 are unchanged; of those,
        // the files the analyses keep (Makefiles, Kconfig, .rs, MAINTAINERS, and since issue 14 the C headers of include/
        // and arch/x86/include) are read again. 33,035 were reused before the C headers were kept; the unchanged headers
        // there are 3,686 (`comm -23` of `git ls-tree -r --name-only v6.12` and the diff-tree list, grep '^(include|
        // arch/x86/include)/.*\.h$'), so at most 33,035 - 3,686 = 29,349 can be reused; runs measured 29,345 and 29,348
        // (which of two identical blobs read at once on two threads counts as reused depends on timing).
        Assert.Equal(scanned[0].Scan.Summary.Files, scanned[0].Reused + scanned[0].Read);
        Assert.InRange(scanned[1].Reused, 29_300, 29_349);
        EqualByLine(Json(Scanner.Scan(ScanOptions.For(Tarball612))), Json(scanned[1].Scan));
        EqualByLine(Json(Scanner.Scan(ScanOptions.For(Tarball61))), Json(scanned[0].Scan));

        // A later run with both stored scans nothing.
        var again = new List<ScannedTag>();
        scanner.Scan(scanned.ToDictionary(t => t.Scan.Release, t => t.Scan.Source), again.Add);
        Assert.Empty(again);
    }

    /// <summary>
    /// The file cache kept in the database: a run that stores only v6.1 leaves its blobs' results in file_results, and a
    /// later run scanning v6.12 reuses them as one run over both tags does (the range above, derived from git diff-tree),
    /// with the same scan as the tarball's. A scan --rev of v6.12 after that reads only the files the analyses keep.
    /// </summary>
    [Fact]
    public void A_later_run_reuses_the_file_results_the_database_keeps()
    {
        var path = Path.Combine(Path.GetTempPath(), $"oxidation-cache-{Guid.NewGuid():N}.duckdb");
        try
        {
            var first = new List<ScannedTag>();
            using (var db = Store.OxidationDatabase.Open(path))
            {
                var scanner = new ReleaseScanner(new ReleasesOptions(Repository.Value, "v6.1", "v6.1", Candidates: false, Stable: false, Environment.ProcessorCount));
                scanner.Scan(Store.ScanStore.Sources(db), tag =>
                {
                    Store.ScanStore.Save(db, tag.Scan, tag.Cache);
                    first.Add(tag);
                }, files: new Store.FileResultStore(db));
                // Every file of 6.1 but those the analyses keep, once per distinct blob and name.
                var kept = KeptFiles("v6.1");
                var distinct = Git("ls-tree", "-r", "v6.1").Split('\n', StringSplitOptions.RemoveEmptyEntries)
                    .Select(l => l.Split('\t')).Where(l => !l[0].StartsWith("120000", StringComparison.Ordinal) && !kept.Contains(l[1]))
                    .Select(l => (Blob: l[0].Split(' ')[2], Name: Path.GetFileName(l[1]))).Distinct().Count();
                Assert.Equal((long)distinct, db.Query("SELECT count(*) FROM file_results")[0][0]);
                Assert.Equal((long)distinct, db.Query("SELECT count(*) FROM (SELECT DISTINCT content_id, name, version FROM file_results)")[0][0]);
                Assert.Equal([ScanCache.Version], db.Query("SELECT DISTINCT version FROM file_results").Select(r => (string)r[0]!));
            }
            var second = new List<ScannedTag>();
            using (var db = Store.OxidationDatabase.Open(path))
            {
                var scanner = new ReleaseScanner(new ReleasesOptions(Repository.Value, "v6.1", null, Candidates: false, Stable: false, Environment.ProcessorCount));
                scanner.Scan(Store.ScanStore.Sources(db), tag =>
                {
                    Store.ScanStore.Save(db, tag.Scan, tag.Cache);
                    second.Add(tag);
                }, files: new Store.FileResultStore(db));
            }
            using (var db = Store.OxidationDatabase.OpenReadOnly(path))
            {
                // The second run added v6.12's new results, and no key twice.
                Assert.Equal(db.Query("SELECT count(*) FROM file_results")[0][0], db.Query("SELECT count(*) FROM (SELECT DISTINCT content_id, name, version FROM file_results)")[0][0]);
            }
            Assert.Equal(["v6.12"], second.Select(t => t.Tag.Tag));
            Assert.InRange(second[0].Reused, 29_300, 29_349);
            EqualByLine(Json(Scanner.Scan(ScanOptions.For(Tarball612))), Json(second[0].Scan));

            using (var db = Store.OxidationDatabase.Open(path))
            {
                var cache = new ScanCache(new Store.FileResultStore(db));
                var again = Scanner.Scan(GitSourceTree.Open(Repository.Value, "v6.12"), Environment.ProcessorCount, cache: cache);
                var links = Git("ls-tree", "-r", "v6.12").Split('\n').Where(l => l.StartsWith("120000", StringComparison.Ordinal)).Select(l => l.Split('\t')[1]);
                var keptRegular = KeptFiles("v6.12").Except(links).Count();
                Assert.Equal(again.Summary.Files - keptRegular, again.Reused);
                Assert.Equal(Json(second[0].Scan), Json(again));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The regular files of a tag whose bytes a scan keeps (never cached), from git's own listing.</summary>
    private static HashSet<string> KeptFiles(string tag) =>
        [.. Git("ls-tree", "-r", "--name-only", tag).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(Scanner.KeepsBytes)];

    private static string Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git", ["-C", Repository.Value, .. arguments]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }

    [Fact]
    public void The_history_rust_lines_at_each_tag_equal_the_scan_at_that_tag()
    {
        var segments = new List<MinedSegment>();
        var miner = new HistoryMiner(new HistoryOptions(Repository.Value, "v6.1", "v6.12", EmployerMap.Default()), RustKnowledge.Default);
        miner.Mine(new HistoryState(new HashSet<string>(), null, new HashSet<string>()), segments.Add);
        Assert.Equal(["6.1", "6.12"], segments.Select(s => s.Release));
        foreach (var segment in segments)
        {
            var scan = Scanner.Scan(GitSourceTree.Open(Repository.Value, "v" + segment.Release), Environment.ProcessorCount);
            // The scan's areas include "vendored", as the history's do.
            var expected = scan.Rust.Areas.Select(a => (a.Area, a.Files, a.Code, a.Comment, a.Blank)).OrderBy(a => a.Area, StringComparer.Ordinal).ToList();
            Assert.Equal(expected, segment.Lines.Select(l => (l.Area, l.Files, l.Code, l.Comment, l.Blank)).ToList());
        }
    }

    [Theory]
    [InlineData("v9.99", "no such tag, branch or commit")]
    [InlineData("v6.12^{tree}", "names a tree")]
    [InlineData("v6.12:Makefile", "names a blob")]
    public void A_rev_that_is_not_a_commit_is_refused_naming_the_repository_and_rev(string rev, string reason)
    {
        var error = Assert.Throws<SourceTreeException>(() => GitSourceTree.Open(Repository.Value, rev));
        Assert.StartsWith($"{Repository.Value}: --rev {rev}", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_commit_whose_tree_is_not_a_kernel_tree_is_refused()
    {
        using var repo = new KernelRepository();
        repo.Commit(KernelRepository.Ada, "2024-01-01T00:00:00Z", "not a kernel", ("README", "hello\n"));
        var error = Assert.Throws<ScanException>(() => Scanner.Scan(GitSourceTree.Open(repo.Path, "HEAD"), 2));
        Assert.EndsWith("not a kernel tree (no top-level Makefile with VERSION)", error.Message, StringComparison.Ordinal);
        Assert.StartsWith(repo.Path + "@", error.Message, StringComparison.Ordinal);
    }
}
