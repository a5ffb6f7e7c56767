using Oxidation.History;
using Oxidation.Rust;

namespace Oxidation.Git.Tests;

public sealed class HistoryMinerTests
{
    private static readonly HistoryState Nothing = new(new HashSet<string>(), null, new HashSet<string>());

    private static (List<MinedSegment> Segments, HistoryMiner Miner) Mine(string repository, HistoryState? state = null, string since = "v6.1", string? until = null)
    {
        var segments = new List<MinedSegment>();
        var miner = new HistoryMiner(new HistoryOptions(repository, since, until, EmployerMap.Default()), RustKnowledge.Default);
        miner.Mine(state ?? Nothing, segments.Add);
        return (segments, miner);
    }

    private static HistoryReport Report(List<MinedSegment> segments) =>
        HistoryStatistics.Compute([.. segments.SelectMany(s => s.Commits)], [.. segments.SelectMany(s => s.Lines)],
            [.. segments.Select(s => (s.Release, s.Unreleased))], partial: false);

    [Fact]
    public void Releases_are_the_earliest_tag_containing_each_commit()
    {
        using var repo = KernelRepository.Standard();
        var (segments, _) = Mine(repo.Path);
        Assert.Equal([("6.1", false, 1), ("6.2", false, 4), ("6.2+", true, 2)], segments.Select(s => (s.Release, s.Unreleased, s.Commits.Count)));
    }

    [Fact]
    public void Per_release_figures_match_the_built_history()
    {
        using var repo = KernelRepository.Standard();
        var report = Report(Mine(repo.Path).Segments);
        var r61 = report.Releases[0];
        // v6.1: one commit adding rust/kernel/lib.rs (5 lines) and the vendored rust/alloc/lib.rs (3 lines),
        // reviewed by Bob (google.com through .mailmap) for Ada (intel.com).
        Assert.Equal((1, 0, 5L, 0L, 3L, 1, 1.0, 1.0, 0.0), (r61.RustChangesets, r61.VendoredChangesets, r61.RustAdded, r61.RustRemoved, r61.VendoredAdded, r61.Authors, r61.ReviewedShare, r61.ReviewedByOtherEmployerShare, r61.UnknownEmployerShare));
        var r62 = report.Releases[1];
        // v6.2: Bob's rust+include commit (one doc line changed, two functions added: +3 -1; acked by Ada, another
        // employer) and Ada's build fix (+1; reviewed by Carol, employer unknown); Carol's C commit and the merge are not Rust.
        Assert.Equal((2, 4L, 1L, 2, 1.0, 0.5, 1, 1), (r62.RustChangesets, r62.RustAdded, r62.RustRemoved, r62.Authors, r62.ReviewedShare, r62.ReviewedByOtherEmployerShare, r62.DualApiCommits, r62.RustBuildFixes));
        Assert.Equal([("Google", 1), ("Intel", 1)], r62.Employers.Select(e => (e.Name, e.Changesets)));
        var tail = report.Releases[2];
        // Unreleased: Carol's commit touches only the vendored crate; Bob's Kconfig line "depends on RUST" is Rust.
        Assert.Equal((true, 1, 1, 0L), (tail.Unreleased, tail.RustChangesets, tail.VendoredChangesets, tail.RustAdded));
        Assert.Equal([new HeaderCoChange("include/linux/foo.h", 1)], report.HeadersChangedWithRust);
        Assert.Equal([("Ada Author", 2), ("Bob Builder", 2)], report.TopDevelopersByChangesets.Select(d => (d.Name, d.Changesets)));
        Assert.Equal([("Ada Author", 1), ("Bob Builder", 1), ("Carol", 1)], report.Reviewers.Select(d => (d.Name, d.Changesets)));
        Assert.Equal([("Carol", 1)], report.Testers.Select(d => (d.Name, d.Changesets)));
    }

    /// <summary>
    /// One person is one address (HistoryMeasures.PersonKey, case aside), in the author count and in the top lists alike:
    /// Ada writes twice as "Ada Author" &lt;ada@intel.com&gt; and once as "Ada A." &lt;ADA@intel.com&gt; (one person, 3
    /// changesets, shown by the name she uses most); another "Ada Author" writes from amd.com (another person). Grouped by
    /// name, as the top lists were, that was "Ada Author" 3 (two people) and "Ada A." 1 (the same person again).
    /// </summary>
    [Fact]
    public void Top_developers_are_the_people_the_author_count_counts()
    {
        using var repo = new KernelRepository();
        repo.Tag("v6.0", repo.Commit(KernelRepository.Ada, "2022-10-01T10:00:00+00:00", "Initial import", ("Makefile", "VERSION = 6\n")));
        repo.Commit(KernelRepository.Ada, "2022-10-02T10:00:00+00:00", "rust: add", ("rust/kernel/lib.rs", KernelRepository.KernelLib));
        repo.Commit(("Ada A.", "ADA@intel.com"), "2022-10-03T10:00:00+00:00", "rust: add g", ("rust/kernel/lib.rs", KernelRepository.KernelLib + "pub fn g() {}\n"));
        repo.Commit(("Ada Author", "ada@amd.com"), "2022-10-04T10:00:00+00:00", "rust: add h", ("rust/kernel/lib.rs", KernelRepository.KernelLib + "pub fn g() {}\npub fn h() {}\n"));
        repo.Tag("v6.1", repo.Commit(KernelRepository.Ada, "2022-10-05T10:00:00+00:00", "rust: add i",
            ("rust/kernel/lib.rs", KernelRepository.KernelLib + "pub fn g() {}\npub fn h() {}\npub fn i() {}\n")));
        var report = Report(Mine(repo.Path).Segments);
        Assert.Equal(2, report.Releases.Single(r => r.Release == "6.1").Authors);
        Assert.Equal([("Ada Author", 3), ("Ada Author", 1)], report.TopDevelopersByChangesets.Select(d => (d.Name, d.Changesets)));
    }

    [Fact]
    public void Rust_lines_at_each_tag_come_from_the_same_counter_as_the_scan()
    {
        using var repo = KernelRepository.Standard();
        var lines = Mine(repo.Path).Segments.SelectMany(s => s.Lines).ToList();
        // v6.1: rust/kernel/lib.rs = 1 code, 2 comment, 2 blank; rust/alloc/lib.rs (vendored) = 1 code, 1 comment, 1 blank.
        Assert.Equal([new TagLines("6.1", "abstractions", 1, 1, 2, 2), new TagLines("6.1", "vendored", 1, 1, 1, 1)], lines.Where(l => l.Release == "6.1"));
        Assert.Equal(new TagLines("6.2", "abstractions", 1, 4, 2, 2), lines.Single(l => l.Release == "6.2" && l.Area == "abstractions"));
        Assert.Equal(new TagLines("6.2+", "vendored", 2, 2, 2, 1), lines.Single(l => l.Release == "6.2+" && l.Area == "vendored"));
    }

    [Fact]
    public void A_second_run_mines_only_new_commits_and_moves_tagged_ones_to_their_release()
    {
        using var repo = KernelRepository.Standard();
        var first = Mine(repo.Path).Segments;
        var state = new HistoryState(first.Where(s => !s.Unreleased).Select(s => s.Release).ToHashSet(), first.Single(s => s.Unreleased).TipSha,
            first.Single(s => s.Unreleased).Commits.Select(c => c.Sha).ToHashSet());
        var c8 = repo.Commit(KernelRepository.Ada, "2023-04-01T10:00:00+00:00", "rust: more\n", ("rust/kernel/more.rs", "pub fn m() {}\n"));
        var second = Mine(repo.Path, state).Segments;
        Assert.Equal([("6.2+", 1)], second.Select(s => (s.Release, s.Commits.Count)));
        Assert.Equal(c8.Sha, second[0].Commits[0].Sha);
        // Tagging v6.3 moves the three unreleased commits into 6.3 without mining them again.
        repo.Tag("v6.3", c8);
        var state2 = new HistoryState(state.CompleteReleases, second[0].TipSha, state.UnreleasedShas.Append(c8.Sha).ToHashSet());
        var third = Mine(repo.Path, state2).Segments;
        // ... and the tail after v6.3 is empty (it replaces the stored one).
        Assert.Equal([("6.3", 0, 3), ("6.3+", 0, 0)], third.Select(s => (s.Release, s.Commits.Count, s.Relabeled.Count)));
    }

    [Fact]
    public void A_vendored_crate_removed_in_a_release_stays_vendored()
    {
        using var repo = KernelRepository.Standard();
        repo.Tag("v6.3", repo.Repo.Head.Tip);
        // v6.4 removes rust/alloc (lib.rs: 3 lines, vec.rs: 2 lines), as 6.10 removed the kernel's vendored alloc crate.
        var gone = repo.Commit(KernelRepository.Ada, "2023-05-01T10:00:00+00:00", "rust: remove the alloc crate\n", ("rust/alloc/lib.rs", null), ("rust/alloc/vec.rs", null));
        repo.Tag("v6.4", gone);
        var removal = Mine(repo.Path).Segments.Single(s => s.Release == "6.4").Commits.Single();
        Assert.Equal((true, true, 0, 0, 0, 5), (removal.Rust, removal.VendoredOnly, removal.RustAdded, removal.RustRemoved, removal.VendoredAdded, removal.VendoredRemoved));
    }

    [Fact]
    public void A_zero_padded_tree_mode_is_still_a_tree()
    {
        // Old repositories hold trees written with mode 040000 for a subdirectory (git fsck: zeroPaddedFilemode).
        using var repo = new KernelRepository();
        string Write(string type, byte[] content)
        {
            var start = new System.Diagnostics.ProcessStartInfo("git", ["-C", repo.Path, "hash-object", "-w", "--literally", "-t", type, "--stdin"]) { RedirectStandardInput = true, RedirectStandardOutput = true };
            using var git = System.Diagnostics.Process.Start(start)!;
            git.StandardInput.BaseStream.Write(content);
            git.StandardInput.Close();
            var id = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return id;
        }
        byte[] Entry(string mode, string name, string id) => [.. System.Text.Encoding.ASCII.GetBytes($"{mode} {name}\0"), .. Convert.FromHexString(id)];
        var blob = Write("blob", System.Text.Encoding.ASCII.GetBytes("pub fn f() {}\npub fn g() {}\n"));
        var kernel = Write("tree", Entry("100644", "lib.rs", blob));
        var rust = Write("tree", Entry("040000", "kernel", kernel));
        var root = Write("tree", Entry("040000", "rust", rust));
        var commit = repo.Git("commit-tree", root, "-m", "rust: old-style tree").Trim();
        repo.Git("tag", "v6.1", commit);
        var (segments, _) = Mine(repo.Path);
        var mined = segments.Single().Commits.Single();
        Assert.Equal((true, 2, true), (mined.Rust, mined.RustAdded, mined.TouchesRustDirectory));
        Assert.Equal([new TagLines("6.1", "abstractions", 1, 2, 0, 0)], segments.Single().Lines);
    }

    [Fact]
    public void Repositories_of_any_shape_are_mined()
    {
        using var single = new KernelRepository();
        single.Commit(KernelRepository.Ada, "2024-01-01T00:00:00+00:00", "rust: only\n", ("rust/kernel/lib.rs", KernelRepository.KernelLib));
        var (segments, _) = Mine(single.Path);
        Assert.Equal([("unreleased", 1)], segments.Select(s => (s.Release, s.Commits.Count)));
        Assert.True(segments[0].Commits[0].Rust);
    }

    [Fact]
    public void Until_stops_at_a_tag_and_leaves_the_tail_out()
    {
        using var repo = KernelRepository.Standard();
        Assert.Equal(["6.1"], Mine(repo.Path, until: "v6.1").Segments.Select(s => s.Release));
    }

    [Fact]
    public void Bad_input_gives_a_clear_message()
    {
        var notRepo = Directory.CreateTempSubdirectory("oxidation-notgit-").FullName;
        try
        {
            Assert.StartsWith($"{notRepo}: not a git repository", Assert.Throws<HistoryException>(() => Mine(notRepo)).Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(notRepo);
        }
        using var repo = KernelRepository.Standard();
        Assert.Equal("--since 6.1: not a release tag (expected vX.Y, e.g. v6.1)", Assert.Throws<HistoryException>(() => Mine(repo.Path, since: "6.1")).Message);
        Assert.Equal($"--until v9.9: no such tag in {repo.Path}", Assert.Throws<HistoryException>(() => Mine(repo.Path, until: "v9.9")).Message);
    }

    [Fact]
    public void A_commit_whose_parent_is_missing_stops_the_run_naming_it()
    {
        // libgit2's revision walk meets the missing commit (Bob's, under v6.2): the walk must fail, not end early.
        using var repo = KernelRepository.Standard();
        var missing = repo.Repo.Tags["v6.2"].PeeledTarget.Peel<LibGit2Sharp.Commit>().Parents.Single().Parents.First().Sha;
        var file = new FileInfo(Path.Combine(repo.Path, ".git", "objects", missing[..2], missing[2..]));
        file.Attributes = FileAttributes.Normal;
        file.Delete();
        var segments = new List<MinedSegment>();
        var miner = new HistoryMiner(new HistoryOptions(repo.Path, "v6.1", null, EmployerMap.Default()), RustKnowledge.Default);
        var error = Assert.Throws<HistoryException>(() => miner.Mine(Nothing, segments.Add));
        Assert.StartsWith($"{repo.Path}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Equal(["6.1"], segments.Select(s => s.Release)); // what was mined before it is handed on
    }

    [Fact]
    public void A_release_tag_naming_a_missing_object_is_an_error_not_a_tag_left_out()
    {
        using var repo = KernelRepository.Standard();
        var ghost = new string('e', 40);
        File.WriteAllText(Path.Combine(repo.Path, ".git", "refs", "tags", "v6.3"), ghost + "\n");
        var error = Assert.Throws<HistoryException>(() => Mine(repo.Path));
        Assert.Equal($"{repo.Path}: tag v6.3 names object {ghost}, which is missing from the repository", error.Message);
    }

    [Fact]
    public void Since_after_until_is_refused()
    {
        using var repo = KernelRepository.Standard();
        Assert.Equal("--since v6.2 is after --until v6.1: no release to mine", Assert.Throws<HistoryException>(() => Mine(repo.Path, since: "v6.2", until: "v6.1")).Message);
        Assert.Equal(["6.1"], Mine(repo.Path, since: "v6.1", until: "v6.1").Segments.Select(s => s.Release)); // one release is a range
    }

    [Fact]
    public void A_shallow_clone_is_mined_and_marked_partial()
    {
        using var repo = KernelRepository.Standard();
        var shallow = Path.Combine(Path.GetTempPath(), "oxidation-shallow-" + Guid.NewGuid().ToString("N"));
        var git = System.Diagnostics.Process.Start("git", ["clone", "--quiet", "--depth", "2", "file://" + repo.Path, shallow])!;
        git.WaitForExit();
        Assert.Equal(0, git.ExitCode);
        try
        {
            var (_, miner) = Mine(shallow);
            Assert.True(miner.Partial);
            Assert.Contains(miner.Warnings, w => w.Contains("shallow clone", StringComparison.Ordinal));
        }
        finally
        {
            KernelRepository.DeleteDirectory(shallow);
        }
    }

    [Fact]
    public void Line_counts_equal_git_numstat_on_awkward_changes()
    {
        // The miner diffs blobs itself; git log --numstat is the reference, run here on the same repository.
        using var repo = new KernelRepository();
        var w = KernelRepository.Ada;
        var v60 = repo.Commit(w, "2022-10-01T10:00:00+00:00", "init", ("Makefile", "VERSION = 6\n"));
        repo.Tag("v6.0", v60);
        repo.Commit(w, "2022-10-02T10:00:00+00:00", "rust: add", ("rust/kernel/a.rs", "a\nb\nc\nd\ne\n"), ("rust/kernel/b.rs", "x\ny"));
        repo.Commit(w, "2022-10-03T10:00:00+00:00", "rust: no newline at the end any more, then again", ("rust/kernel/b.rs", "x\ny\n"));
        repo.Commit(w, "2022-10-04T10:00:00+00:00", "rust: move a block", ("rust/kernel/a.rs", "d\ne\na\nb\nc\n"));
        repo.Commit(w, "2022-10-05T10:00:00+00:00", "rust: whitespace and a repeated line", ("rust/kernel/a.rs", "d \ne\ne\na\nb\nc\n"));
        repo.Commit(w, "2022-10-06T10:00:00+00:00", "rust: delete and add", ("rust/kernel/b.rs", null), ("rust/kernel/c/mod.rs", "pub mod x;\n\n\n"));
        repo.Commit(w, "2022-10-07T10:00:00+00:00", "rust: empty a file", ("rust/kernel/a.rs", ""));
        var v61 = repo.Commit(w, "2022-10-08T10:00:00+00:00", "rust: file becomes a directory", ("rust/kernel/c/mod.rs", null), ("rust/kernel/a.rs", null), ("rust/kernel/a.rs/inner.rs", "q\n"));
        repo.Tag("v6.1", v61);
        var mined = Mine(repo.Path, since: "v6.1").Segments.SelectMany(s => s.Commits).Where(c => !c.Merge).ToDictionary(c => c.Sha, c => (c.RustAdded, c.RustRemoved));
        var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", ["-C", repo.Path, "log", "--numstat", "--format=@%H", "v6.0..v6.1", "--", "*.rs"]) { RedirectStandardOutput = true })!;
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        var expected = new Dictionary<string, (int, int)>();
        string? sha = null;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('@'))
            {
                sha = line[1..];
                expected[sha] = (0, 0);
                continue;
            }
            var parts = line.Split('\t');
            var (a, d) = expected[sha!];
            expected[sha!] = (a + int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), d + int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Equal(7, expected.Count);
        foreach (var (commit, counts) in expected)
            Assert.Equal(counts, mined[commit]);
    }
}
