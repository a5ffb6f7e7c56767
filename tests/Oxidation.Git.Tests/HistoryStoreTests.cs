using Oxidation.History;
using Oxidation.Rust;
using Oxidation.Store;

namespace Oxidation.Git.Tests;

public sealed class HistoryStoreTests : IDisposable
{
    private readonly string _db = Path.Combine(Path.GetTempPath(), $"oxidation-history-{Guid.NewGuid():N}.duckdb");

    public void Dispose()
    {
        File.Delete(_db);
        File.Delete(_db + ".wal");
    }

    private static void MineInto(OxidationDatabase db, string repository)
    {
        var miner = new HistoryMiner(new HistoryOptions(repository, "v6.1", null, EmployerMap.Default()), RustKnowledge.Default);
        miner.Mine(HistoryStore.State(db, repository), segment => HistoryStore.Save(db, repository, segment));
    }

    [Fact]
    public void Stored_history_resumes_and_tagging_moves_commits_without_mining_them_again()
    {
        using var repo = KernelRepository.Standard();
        using var db = OxidationDatabase.Open(_db);
        MineInto(db, repo.Path);
        Assert.Equal(7L, HistoryStore.CommitCount(db)); // 1 + 4 + 2: v6.0's root commit is before --since
        var c8 = repo.Commit(KernelRepository.Ada, "2023-04-01T10:00:00+00:00", "rust: more\n", ("rust/kernel/more.rs", "pub fn m() {}\n"));
        repo.Tag("v6.3", c8);
        MineInto(db, repo.Path);
        Assert.Equal(8L, HistoryStore.CommitCount(db));
        var (commits, lines, releases) = HistoryStore.Load(db);
        Assert.Equal([("6.1", false), ("6.2", false), ("6.3", false)], releases);
        Assert.Equal(3, commits.Count(c => c.Release == "6.3"));
        Assert.DoesNotContain(commits, c => c.Unreleased);
        var report = HistoryStatistics.Compute(commits, lines, releases, false);
        Assert.Equal([1, 2, 2], report.Releases.Select(r => r.RustChangesets));
    }

    [Fact]
    public void Another_repositorys_history_is_replaced_only_by_a_stored_segment()
    {
        using var repo = KernelRepository.Standard();
        using var other = KernelRepository.Standard();
        using var db = OxidationDatabase.Open(_db);
        MineInto(db, repo.Path);
        var state = HistoryStore.State(db, other.Path);
        Assert.Empty(state.CompleteReleases);
        Assert.Equal(7L, HistoryStore.CommitCount(db)); // asking is not replacing: a run that fails before storing keeps it
        MineInto(db, other.Path);
        Assert.Equal(7L, HistoryStore.CommitCount(db));
        Assert.Equal(other.Path, db.Query("SELECT value FROM meta WHERE key = 'history_repository'")[0][0]);
        Assert.Equal(3L, db.Query("SELECT count(*) FROM history_releases")[0][0]); // 6.1, 6.2 and the tail, not twice over
    }

    [Fact]
    public void A_failed_segment_keeps_the_segments_before_it()
    {
        using var repo = KernelRepository.Standard();
        using var db = OxidationDatabase.Open(_db);
        var miner = new HistoryMiner(new HistoryOptions(repo.Path, "v6.1", null, EmployerMap.Default()), RustKnowledge.Default);
        var saved = 0;
        Assert.Throws<InvalidOperationException>(() => miner.Mine(HistoryStore.State(db, repo.Path), segment =>
        {
            if (saved++ == 1)
                throw new InvalidOperationException("interrupted");
            HistoryStore.Save(db, repo.Path, segment);
        }));
        Assert.Equal(1L, HistoryStore.CommitCount(db));
        MineInto(db, repo.Path); // resumes at 6.2
        Assert.Equal(7L, HistoryStore.CommitCount(db));
    }
}
