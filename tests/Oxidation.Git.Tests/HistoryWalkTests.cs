using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Oxidation.History;
using Oxidation.Rust;

namespace Oxidation.Git.Tests;

/// <summary>The history is one walk with observers: a new measure is an observer handed to the miner, the walk untouched.</summary>
public sealed class HistoryWalkTests
{
    private static readonly HistoryState Nothing = new(new HashSet<string>(), null, new HashSet<string>());

    /// <summary>
    /// A test-only measure: commits per segment, and of them those whose diff changes a <c>.rs</c> file; Observe runs on
    /// several threads at once, so the counts are kept thread-safe, and each segment's are taken when it ends.
    /// </summary>
    private sealed class CommitsPerSegment : IHistoryObserver
    {
        private long _commits;
        private long _rustFiles;

        public List<(string Release, long Commits, long RustFileCommits)> Segments { get; } = [];

        public void BeginSegment(HistorySegment segment) => (_commits, _rustFiles) = (0, 0);

        public void Observe(HistoryCommit commit)
        {
            Interlocked.Increment(ref _commits);
            if (commit.Changes.Any(c => c.Path.EndsWith(".rs", StringComparison.Ordinal)))
                Interlocked.Increment(ref _rustFiles);
        }

        public void EndSegment(HistorySegment segment) => Segments.Add((segment.Release, _commits, _rustFiles));
    }

    private static HistoryOptions Options(string repository) => new(repository, "v6.1", null, EmployerMap.Default());

    private static string Json(IEnumerable<MinedSegment> segments) =>
        JsonSerializer.Serialize(segments.Select(s => new { s.Release, s.Unreleased, s.TipSha, s.Commits, s.Lines, s.Relabeled }));

    private static long RevListCount(string repository, params string[] arguments) =>
        long.Parse(KernelRepository.RunGit(repository, ["rev-list", "--count", .. arguments]).Trim(), CultureInfo.InvariantCulture);

    [Fact]
    public void An_observer_added_to_the_miner_sees_every_commit_of_each_segment_as_git_rev_list_counts_them()
    {
        using var repo = KernelRepository.Standard();
        var counter = new CommitsPerSegment();
        var segments = new List<MinedSegment>();
        new HistoryMiner(Options(repo.Path), RustKnowledge.Default, [counter]).Mine(Nothing, segments.Add);
        // v6.1: the Rust import; v6.2: Bob's commit, Carol's side commit, the merge and Ada's fix; the tail: two commits.
        Assert.Equal([("6.1", 1L, 1L), ("6.2", 4L, 2L), ("6.2+", 2L, 1L)], counter.Segments);
        Assert.Equal([RevListCount(repo.Path, "v6.0..v6.1"), RevListCount(repo.Path, "v6.1..v6.2"), RevListCount(repo.Path, "v6.2..HEAD")],
            counter.Segments.Select(s => s.Commits));
        // The segments the miner stores do not depend on the observer added.
        var plain = new List<MinedSegment>();
        new HistoryMiner(Options(repo.Path), RustKnowledge.Default).Mine(Nothing, plain.Add);
        Assert.Equal(Json(plain), Json(segments));
    }

    /// <summary>
    /// 2,600 commits (a tag v6.1 at commit 1,200, v6.2 at 2,600, a merged side branch of 30 commits, every third commit
    /// changing a <c>.rs</c> file): more than one chunk of 1,024 per segment, so the observer is called from several
    /// threads; its counts still equal git's.
    /// </summary>
    [Fact]
    public void An_observer_counts_exactly_when_commits_are_described_on_several_threads()
    {
        var path = Directory.CreateTempSubdirectory("oxidation-walk-").FullName;
        try
        {
            KernelRepository.RunGit(path, "init", "--quiet");
            FastImport(path, Stream());
            var counter = new CommitsPerSegment();
            var segments = new List<MinedSegment>();
            new HistoryMiner(Options(path), RustKnowledge.Default, [counter]).Mine(Nothing, segments.Add);
            // v6.0..v6.1: commits 2..1200 (1,199; 400 of them, n % 3 == 0, change rust/); v6.1..v6.2: commits 1201..2600
            // and the 30 of the side branch (1,430; 466 + 10 change rust/, the merge is not diffed).
            Assert.Equal([("6.1", 1199L, 400L), ("6.2", 1430L, 476L), ("6.2+", 0L, 0L)], counter.Segments);
            Assert.Equal([RevListCount(path, "v6.0..v6.1"), RevListCount(path, "v6.1..v6.2"), RevListCount(path, "v6.2..HEAD")],
                counter.Segments.Select(s => s.Commits));
            Assert.Equal([RevListCount(path, "--no-merges", "--full-history", "v6.0..v6.1", "--", "*.rs"), RevListCount(path, "--no-merges", "--full-history", "v6.1..v6.2", "--", "*.rs")],
                counter.Segments.Take(2).Select(s => s.RustFileCommits));
            Assert.Equal(counter.Segments.Select(s => (long)s.Commits), segments.Select(s => (long)s.Commits.Count));
        }
        finally
        {
            KernelRepository.DeleteDirectory(path);
        }
    }

    /// <summary>The fast-import stream of the history above: fixed identities and dates, so its commit ids are stable.</summary>
    private static string Stream()
    {
        var s = new StringBuilder();
        void Commit(string branch, int mark, int from, int? merge, int n)
        {
            var when = 1_600_000_000 + (mark * 600);
            var message = $"change {n}\n";
            s.Append(CultureInfo.InvariantCulture, $"commit refs/heads/{branch}\nmark :{mark}\n");
            s.Append(CultureInfo.InvariantCulture, $"author Dev <dev@intel.com> {when} +0000\ncommitter Dev <dev@intel.com> {when} +0000\n");
            s.Append(CultureInfo.InvariantCulture, $"data {Encoding.UTF8.GetByteCount(message)}\n{message}");
            if (from > 0)
                s.Append(CultureInfo.InvariantCulture, $"from :{from}\n");
            if (merge is { } m)
                s.Append(CultureInfo.InvariantCulture, $"merge :{m}\n");
            var (file, content) = n % 3 == 0 ? ($"rust/kernel/f{n % 10}.rs", $"pub fn f{n}() {{}}\n") : ($"drivers/d{n % 10}.c", $"int d{n};\n");
            s.Append(CultureInfo.InvariantCulture, $"M 100644 inline {file}\ndata {content.Length}\n{content}\n");
        }
        var previous = 0;
        for (var n = 1; n <= 2600; n++)
        {
            if (n == 2000)
            {
                // A side branch of 30 commits from commit 1,500 (n = 3000..3029, ten of them Rust), merged as commit 2,000.
                var side = 1500;
                for (var k = 0; k < 30; k++)
                {
                    Commit("side", 3000 + k, side, null, 3000 + k);
                    side = 3000 + k;
                }
                Commit("master", n, previous, side, n);
            }
            else
            {
                Commit("master", n, previous, null, n);
            }
            previous = n;
            if (n is 1 or 1200 or 2600)
                s.Append(CultureInfo.InvariantCulture, $"reset refs/tags/v6.{(n == 1 ? 0 : n == 1200 ? 1 : 2)}\nfrom :{n}\n\n");
        }
        return s.ToString();
    }

    private static void FastImport(string repository, string stream)
    {
        var start = new ProcessStartInfo("git", ["-C", repository, "fast-import", "--quiet"]) { RedirectStandardInput = true, RedirectStandardError = true };
        using var git = Process.Start(start)!;
        git.StandardInput.Write(stream);
        git.StandardInput.Close();
        var error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, error);
        KernelRepository.RunGit(repository, "symbolic-ref", "HEAD", "refs/heads/master");
    }
}
