using System.Collections.Concurrent;
using System.Text;
using LibGit2Sharp;
using Oxidation.History;
using Oxidation.Releases;
using Oxidation.Rust;

namespace Oxidation.Git;

/// <summary>
/// The one walk over a repository's history: per release segment, libgit2's revision walk (run ahead for the next
/// segment), each commit read and diffed against its first parent in chunks on every core, every commit handed to each
/// observer in turn; each segment is handed to the caller on a writer thread while the next is walked. The walk knows no
/// measure: what the history records of a commit or a tag is what its observers record.
/// </summary>
internal sealed class HistoryWalk(HistoryOptions options, RustKnowledge knowledge, IReadOnlyList<IHistoryObserver> observers)
{
    /// <summary>Commits described per unit of work: small enough to balance two threads, large enough that re-reading a chunk's first parent trees costs nothing.</summary>
    private const int DescribeChunk = 1024;

    private static readonly int DescribeThreads = Math.Clamp(Environment.ProcessorCount, 1, 8);

    /// <summary>Pack indexes left without their pack, named beside any object found missing: the likely reason.</summary>
    private string _packsMissing = "";

    /// <summary>Vendored crates by commit: a tag is the tip of one segment and the base of the next.</summary>
    private readonly Dictionary<string, IReadOnlySet<string>> _vendoredAt = [];

    /// <summary>Warnings: a shallow clone, an unreadable mailmap line.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Whether some history could not be read (a shallow clone): results are partial.</summary>
    public bool Partial { get; private set; }

    /// <summary>Walks every segment not in <paramref name="state"/>, calling <paramref name="store"/> after each.</summary>
    public void Run(HistoryState state, Action<MinedSegment> store, IProgress<(long Commits, string Release)>? progress = null)
    {
        // Mining reads each object once (trees are kept for one commit by CommitReader): libgit2's own object
        // cache only added locking and memory, and git itself does not re-hash objects it reads back.
        GlobalSettings.SetStrictHashVerification(false);
        GlobalSettings.SetEnableCaching(false);
        Repository repo;
        try
        {
            repo = new Repository(options.Repository);
        }
        catch (RepositoryNotFoundException ex)
        {
            throw new HistoryException($"{options.Repository}: not a git repository ({ex.Message.Split('\n')[0]})", ex);
        }
        catch (LibGit2SharpException ex)
        {
            throw new HistoryException($"{options.Repository}: cannot open the repository ({ex.Message.Split('\n')[0]})", ex);
        }
        using (repo)
        {
            // Walking and storing overlap: each segment is written (on one writer thread, in order) while the next
            // is walked. Whatever was walked before a failure is still stored, so a new run resumes after it.
            using var queue = new BlockingCollection<MinedSegment>(boundedCapacity: 1);
            using var writerFailed = new CancellationTokenSource();
            var writer = Task.Run(() =>
            {
                try
                {
                    foreach (var segment in queue.GetConsumingEnumerable())
                        store(segment);
                }
                catch
                {
                    writerFailed.Cancel();
                    throw;
                }
            });
            void Emit(MinedSegment segment)
            {
                try
                {
                    queue.Add(segment, writerFailed.Token);
                }
                catch (OperationCanceledException)
                {
                    writer.GetAwaiter().GetResult(); // rethrows the writer's failure
                    throw;
                }
            }
            try
            {
                WalkRepository(repo, state, Emit, progress);
            }
            catch (LibGit2SharpException ex)
            {
                queue.CompleteAdding();
                writer.Wait(TimeSpan.FromMinutes(10));
                Partial = true;
                throw new HistoryException($"{options.Repository}: {ex.Message.Split('\n')[0]}{_packsMissing}; the releases mined before it are stored", ex);
            }
            finally
            {
                queue.CompleteAdding();
            }
            writer.GetAwaiter().GetResult();
        }
    }

    private void WalkRepository(Repository repo, HistoryState state, Action<MinedSegment> store, IProgress<(long, string)>? progress)
    {
        if (repo.Info.IsShallow)
        {
            Partial = true;
            Warnings.Add($"{options.Repository}: shallow clone: commits before its boundary are missing, so releases reaching past it are counted partly");
        }
        var (since, until) = options.Releases();
        // The packs are opened first: one cut short is named as such, before its objects are looked for.
        using var packs = OpenPacks(repo.Info.Path);
        var head = HeadCommit(repo);
        var tags = ReleaseTags(repo);
        if (until is { } last && !tags.Any(t => t.Tag.CompareTo(last) == 0))
            throw new HistoryException($"--until {options.Until}: no such tag in {options.Repository}");
        var start = new HistoryWalkStart(head, Warnings);
        foreach (var observer in observers)
            observer.BeginWalk(start);
        // Readers (each with its delta-base cache and tree cache) are kept from one release to the next, caches warm.
        using var readers = new ReaderPool(() => new CommitReader(new RawObjects(repo.Info.Path, packs)));
        long walked = 0;
        var work = new List<(string Release, bool Unreleased, LibGit2Sharp.Commit Tip, List<LibGit2Sharp.Commit> Exclude, IReadOnlySet<string> Known)>();
        for (var i = 0; i < tags.Count; i++)
        {
            var (tag, commit) = tags[i];
            if (tag < since || (until is { } u && tag > u) || state.CompleteReleases.Contains(tag.Name))
                continue;
            work.Add((tag.Name, false, commit, i > 0 ? [tags[i - 1].Commit] : [], state.UnreleasedShas));
        }
        if (until is null && head is not null)
        {
            var newest = tags.Count > 0 ? tags[^1] : default;
            // The tail is stored even when empty (HEAD is the newest tag): it replaces the previous run's tail.
            var exclude = new List<LibGit2Sharp.Commit>();
            if (tags.Count > 0)
                exclude.Add(newest.Commit);
            if (state.UnreleasedTip is not null && repo.Lookup<LibGit2Sharp.Commit>(state.UnreleasedTip) is { } tip)
                exclude.Add(tip);
            work.Add((tags.Count > 0 ? newest.Tag.NextRelease : "unreleased", true, head, exclude, new HashSet<string>()));
        }
        // The revision walk of the next segment runs while this one is described.
        Task<List<Oid>> RevList(int k)
        {
            var tip = Oid.From(work[k].Tip.Id.RawId);
            var hide = work[k].Exclude.Select(c => Oid.From(c.Id.RawId)).ToList();
            return Task.Run(() =>
            {
                using var walker = new RawObjects(repo.Info.Path);
                return walker.Walk(tip, hide);
            });
        }
        var next = work.Count > 0 ? RevList(0) : null;
        for (var k = 0; k < work.Count; k++)
        {
            var ids = next!.GetAwaiter().GetResult();
            next = k + 1 < work.Count ? RevList(k + 1) : null;
            var w = work[k];
            var segment = new HistorySegment(w.Release, w.Unreleased, w.Tip, w.Exclude, readers, VendoredCratesAt);
            foreach (var observer in observers)
                observer.BeginSegment(segment);
            var (commits, relabeled) = WalkSegment(repo, segment, ids, w.Known, ref walked, progress);
            foreach (var observer in observers)
                observer.EndSegment(segment);
            store(new MinedSegment(w.Release, w.Unreleased, w.Tip.Sha, commits, segment.Lines) { Relabeled = relabeled });
        }
    }

    private IReadOnlySet<string> VendoredCratesAt(LibGit2Sharp.Commit commit)
    {
        lock (_vendoredAt)
        {
            if (!_vendoredAt.TryGetValue(commit.Sha, out var crates))
                _vendoredAt[commit.Sha] = crates = GitReads.VendoredCrates(commit, knowledge);
            return crates;
        }
    }

    /// <summary>
    /// The commit HEAD names, or null in a repository without commits. A HEAD whose commit cannot be read is an error:
    /// LibGit2Sharp's <c>Head.Tip</c> is null then, as in an empty repository, and the history would be mined as empty.
    /// </summary>
    private LibGit2Sharp.Commit? HeadCommit(Repository repo)
    {
        if (repo.Info.IsHeadUnborn)
            return null;
        var reference = repo.Refs.Head;
        var name = reference is SymbolicReference symbolic ? $"HEAD ({symbolic.TargetIdentifier})" : "HEAD";
        var id = reference.ResolveToDirectReference()?.TargetIdentifier;
        return Resolve(repo, name, id, "commit") as LibGit2Sharp.Commit
            ?? throw new HistoryException($"{options.Repository}: {name} does not name a commit");
    }

    /// <summary>
    /// The release tags (<c>vX.Y</c>) and their commits, oldest first. A tag whose object is missing is an error; a tag
    /// naming a tree or a blob is not a release (the kernel's v2.6.11 tags a tree); a number too large is skipped with a note.
    /// </summary>
    private List<(Release Tag, LibGit2Sharp.Commit Commit)> ReleaseTags(Repository repo)
    {
        var tags = new List<(Release, LibGit2Sharp.Commit)>();
        foreach (var (tag, name, reference) in ReleaseTagRefs.List(repo, Warnings))
        {
            if (Resolve(repo, $"tag {name}", reference.ResolveToDirectReference()?.TargetIdentifier) is LibGit2Sharp.Commit commit)
                tags.Add((tag, commit));
        }
        return tags;
    }

    /// <summary>The object a reference names, annotated tags peeled; one missing or unreadable on the way is an error naming it.</summary>
    private GitObject Resolve(Repository repo, string what, string? id, string kind = "object")
    {
        if (id is null)
            throw new HistoryException($"{options.Repository}: {what} names no object (a broken symbolic reference)");
        try
        {
            // Lookup reads the object (null when it is missing); a tag's target is only named by the tag, so it is looked up in turn.
            var target = repo.Lookup(id);
            while (target is TagAnnotation annotation)
            {
                (id, kind) = (annotation.Target.Sha, annotation.Target is LibGit2Sharp.Commit ? "commit" : "object");
                target = repo.Lookup(id);
            }
            return target ?? throw new HistoryException($"{options.Repository}: {what} names {kind} {id}, which is missing from the repository{_packsMissing}");
        }
        catch (LibGit2SharpException ex)
        {
            throw new HistoryException($"{options.Repository}: {what} names {kind} {id}, which cannot be read ({ex.Message.Split('\n')[0]}){_packsMissing}", ex);
        }
    }

    private PackSet OpenPacks(string gitDirectory)
    {
        try
        {
            var packs = PackSet.Open(gitDirectory);
            _packsMissing = packs.IndexesWithoutPack.Count > 0 ? $" ({string.Join(", ", packs.IndexesWithoutPack.Select(i => $"{i} has no pack file"))})" : "";
            return packs;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new HistoryException($"{options.Repository}: cannot read its pack files: {ex.Message}", ex);
        }
    }

    /// <summary>The commits of a segment; those already stored as unreleased are only named, to be relabeled, not walked again.</summary>
    private (List<MinedCommit> Commits, List<string> Relabeled) WalkSegment(Repository repo, HistorySegment segment, List<Oid> walk, IReadOnlySet<string> known,
        ref long walked, IProgress<(long, string)>? progress)
    {
        var relabeled = new List<string>();
        var shallow = ShallowBoundary(repo);
        var shas = new List<Oid>(walk.Count);
        foreach (var id in walk)
        {
            if (known.Count > 0 && known.Contains(id.ToString()))
                relabeled.Add(id.ToString());
            else
                shas.Add(id);
        }
        // Commits are described in chunks by one thread per core, each with its own reader and caches: pack reads take
        // no lock (PackSet), and a chunk's first commit costs only its parent's trees read again. The revision walk of
        // the next release and the store of the previous one run alongside.
        var result = new MinedCommit[shas.Count];
        var chunks = (shas.Count + DescribeChunk - 1) / DescribeChunk;
        var nextChunk = -1;
        var described = 0L;
        var before = walked;
        var failed = false;
        void Describer()
        {
            var reader = segment.Readers.Take();
            try
            {
                int chunk;
                while (!Volatile.Read(ref failed) && (chunk = Interlocked.Increment(ref nextChunk)) < chunks)
                {
                    var end = Math.Min(shas.Count, (chunk + 1) * DescribeChunk);
                    for (var i = chunk * DescribeChunk; i < end; i++)
                    {
                        result[i] = Describe(reader, shas[i], segment, shallow);
                        reader.NextCommit();
                    }
                    progress?.Report((before + Interlocked.Add(ref described, end - chunk * DescribeChunk), segment.Release));
                }
            }
            catch
            {
                Volatile.Write(ref failed, true);
                throw;
            }
            finally
            {
                segment.Readers.Return(reader);
            }
        }
        var helpers = Enumerable.Range(0, Math.Max(0, Math.Min(chunks, DescribeThreads) - 1)).Select(_ => Task.Run(Describer)).ToList();
        // The first failure is the one reported (as itself, not wrapped): the other threads stop at their next chunk.
        Exception? failure = null;
        try
        {
            Describer();
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        foreach (var helper in helpers)
        {
            try
            {
                helper.GetAwaiter().GetResult();
            }
            catch (Exception ex)
            {
                failure ??= ex;
            }
        }
        if (failure is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        walked += shas.Count;
        return ([.. result], relabeled);
    }

    /// <summary>Reads one commit and its changes (a merge is not diffed) and hands it to every observer.</summary>
    private MinedCommit Describe(CommitReader reader, Oid id, HistorySegment segment, HashSet<Oid> shallow)
    {
        var commit = GitReads.Named($"commit {id}", () => reader.Commit(id));
        // At a shallow clone's boundary the parents are not in the repository: the commit counts as a root (as git log shows it).
        var parents = shallow.Contains(id) ? [] : commit.Parents;
        var changes = new List<PathChange>();
        if (parents.Length <= 1)
        {
            GitReads.Named($"commit {id}", () =>
            {
                Oid? oldTree = parents.Length == 1 ? reader.TreeOf(parents[0]) : null;
                reader.Diff(oldTree, commit.Tree, "", changes);
                return changes;
            });
        }
        var record = new MinedCommitBuilder(id.ToString(), segment.Release, segment.Unreleased, commit.When, parents.Length > 1, commit.Summary);
        var visit = new HistoryCommit(id, commit, parents, changes, segment, reader, record);
        foreach (var observer in observers)
            observer.Observe(visit);
        return record.Build();
    }

    /// <summary>The commits at a shallow clone's boundary (<c>.git/shallow</c>), whose parents are missing.</summary>
    private static HashSet<Oid> ShallowBoundary(Repository repo)
    {
        var file = Path.Combine(repo.Info.Path, "shallow");
        return File.Exists(file)
            ? [.. File.ReadAllLines(file).Where(l => l.Length >= 40).Select(l => Oid.Parse(Encoding.ASCII.GetBytes(l)))]
            : [];
    }
}
