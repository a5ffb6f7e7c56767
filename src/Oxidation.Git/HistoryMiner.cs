using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using LibGit2Sharp;
using Oxidation.Counting;
using Oxidation.History;
using Oxidation.Releases;
using Oxidation.Rust;
using GitTree = LibGit2Sharp.Tree;
using Identity = Oxidation.History.Identity;

namespace Oxidation.Git;

/// <summary>How to mine: resolved once from the command line.</summary>
/// <param name="Repository">A git clone or work tree.</param>
/// <param name="Since">The first release tag mined (default <c>v6.1</c>, the first release with Rust).</param>
/// <param name="Until">The last release tag mined; when given, nothing after it (no unreleased tail).</param>
/// <param name="Employers">The employer map: shipped data plus the user's files.</param>
public sealed record HistoryOptions(string Repository, string Since, string? Until, EmployerMap Employers)
{
    /// <summary>The releases <see cref="Since"/> and <see cref="Until"/> name; a name that is not a release tag, or a range
    /// that holds no release, is a <see cref="HistoryException"/> (checked before anything is opened).</summary>
    public (Release Since, Release? Until) Releases()
    {
        if (!Release.TryParseTag(Since, out var since, out var sinceTooLarge))
            throw new HistoryException($"--since {Since}: {(sinceTooLarge ? "the release number is too large" : "not a release tag (expected vX.Y, e.g. v6.1)")}");
        if (Until is null)
            return (since, null);
        if (!Release.TryParseTag(Until, out var until, out var untilTooLarge))
            throw new HistoryException($"--until {Until}: {(untilTooLarge ? "the release number is too large" : "not a release tag (expected vX.Y, e.g. v7.0)")}");
        if (since > until)
            throw new HistoryException($"--since {Since} is after --until {Until}: no release to mine");
        return (since, until);
    }
}

/// <summary>The history cannot be mined: not a repository, a corrupt object, a bad tag name.</summary>
public sealed class HistoryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Mines a repository: one revision walk per release segment, a tree diff per commit (line counts only for
/// <c>.rs</c> files and Rust lines of Kconfig and Makefiles), and Rust line counts at each tag from cached
/// blobs and subtrees. Segments are handed to the caller one by one, so each can be stored in its own
/// transaction and an interrupted run resumes at the first segment not stored.
/// </summary>
public sealed partial class HistoryMiner(HistoryOptions options, RustKnowledge knowledge)
{
    [GeneratedRegex(@"(?i)\brust\b|\brustc\b|\.rs\b|bindgen")]
    private static partial Regex RustBuildLine();

    /// <summary>Commits described per unit of work: small enough to balance two threads, large enough that re-reading a chunk's first parent trees costs nothing.</summary>
    private const int DescribeChunk = 1024;

    private static readonly int DescribeThreads = Math.Clamp(Environment.ProcessorCount, 1, 8);

    private readonly Dictionary<Oid, LineStats> _blobLines = [];

    /// <summary>Pack indexes left without their pack, named beside any object found missing: the likely reason.</summary>
    private string _packsMissing = "";
    private readonly Dictionary<Oid, List<(string Path, Oid Blob)>> _treeRustFiles = [];

    /// <summary>Warnings: a shallow clone, an unreadable mailmap line.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Whether some history could not be read (a shallow clone): results are partial.</summary>
    public bool Partial { get; private set; }

    /// <summary>Mines every segment not in <paramref name="state"/>, calling <paramref name="store"/> after each.</summary>
    public void Mine(HistoryState state, Action<MinedSegment> store, IProgress<(long Commits, string Release)>? progress = null)
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
            // Mining and storing overlap: each segment is written (on one writer thread, in order) while the next
            // is mined. Whatever was mined before a failure is still stored, so a new run resumes after it.
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
                MineRepository(repo, state, Emit, progress);
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

    private void MineRepository(Repository repo, HistoryState state, Action<MinedSegment> store, IProgress<(long, string)>? progress)
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
        var mailmap = ReadMailmap(head);
        // Readers (each with its delta-base cache and tree cache) are kept from one release to the next, caches warm.
        using var readers = new ReaderPool(() => new CommitReader(new RawObjects(repo.Info.Path, packs)));
        long mined = 0;
        var work = new List<(string Release, bool Unreleased, Commit Tip, List<Commit> Exclude, IReadOnlySet<string> Known)>();
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
            var exclude = new List<Commit>();
            if (tags.Count > 0)
                exclude.Add(newest.Commit);
            if (state.UnreleasedTip is not null && repo.Lookup<Commit>(state.UnreleasedTip) is { } tip)
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
            var (commits, relabeled) = Walk(repo, readers, w.Tip, w.Exclude, ids, w.Known, w.Release, w.Unreleased, mailmap, ref mined, progress);
            store(new MinedSegment(w.Release, w.Unreleased, w.Tip.Sha, commits, LinesAt(readers, w.Tip, w.Release)) { Relabeled = relabeled });
        }
    }

    /// <summary>
    /// The commit HEAD names, or null in a repository without commits. A HEAD whose commit cannot be read is an error:
    /// LibGit2Sharp's <c>Head.Tip</c> is null then, as in an empty repository, and the history would be mined as empty.
    /// </summary>
    private Commit? HeadCommit(Repository repo)
    {
        if (repo.Info.IsHeadUnborn)
            return null;
        var reference = repo.Refs.Head;
        var name = reference is SymbolicReference symbolic ? $"HEAD ({symbolic.TargetIdentifier})" : "HEAD";
        var id = reference.ResolveToDirectReference()?.TargetIdentifier;
        return Resolve(repo, name, id, "commit") as Commit
            ?? throw new HistoryException($"{options.Repository}: {name} does not name a commit");
    }

    /// <summary>
    /// The release tags (<c>vX.Y</c>) and their commits, oldest first. A tag whose object is missing is an error; a tag
    /// naming a tree or a blob is not a release (the kernel's v2.6.11 tags a tree); a number too large is skipped with a note.
    /// </summary>
    private List<(Release Tag, Commit Commit)> ReleaseTags(Repository repo)
    {
        var tags = new List<(Release, Commit)>();
        foreach (var reference in repo.Refs.FromGlob("refs/tags/*"))
        {
            var name = reference.CanonicalName["refs/tags/".Length..];
            if (!Release.TryParseTag(name, out var tag, out var tooLarge))
            {
                if (tooLarge)
                    Warnings.Add($"tag {name}: the release number is too large; the tag is skipped");
                continue;
            }
            if (Resolve(repo, $"tag {name}", reference.ResolveToDirectReference()?.TargetIdentifier) is Commit commit)
                tags.Add((tag, commit));
        }
        return [.. tags.OrderBy(t => t.Item1)];
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
                (id, kind) = (annotation.Target.Sha, annotation.Target is Commit ? "commit" : "object");
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

    private Mailmap ReadMailmap(Commit? head)
    {
        if (head?[".mailmap"]?.Target is not Blob blob)
            return Mailmap.Empty;
        var unreadable = new List<(int, string)>();
        var map = Mailmap.Parse(blob.GetContentText(), unreadable);
        foreach (var (line, text) in unreadable)
            Warnings.Add($".mailmap:{line}: unreadable line ignored: {text}");
        return map;
    }

    /// <summary>The commits of a segment; those already stored as unreleased are only named, to be relabeled, not mined again.</summary>
    private (List<MinedCommit> Commits, List<string> Relabeled) Walk(Repository repo, ReaderPool readers, Commit tip, List<Commit> bases, List<Oid> walk, IReadOnlySet<string> known, string release, bool unreleased,
        Mailmap mailmap, ref long mined, IProgress<(long, string)>? progress)
    {
        var relabeled = new List<string>();
        // A crate vendored at the start of the release stays vendored when the release removes it (6.10 removed
        // rust/alloc: its lines are vendored lines removed, not kernel Rust).
        var vendored = VendoredCrates(tip);
        foreach (var b in bases)
            vendored.UnionWith(VendoredCrates(b));
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
        var before = mined;
        var failed = false;
        void Describer()
        {
            var reader = readers.Take();
            try
            {
                int chunk;
                while (!Volatile.Read(ref failed) && (chunk = Interlocked.Increment(ref nextChunk)) < chunks)
                {
                    var end = Math.Min(shas.Count, (chunk + 1) * DescribeChunk);
                    for (var i = chunk * DescribeChunk; i < end; i++)
                    {
                        result[i] = Describe(reader, shas[i], release, unreleased, mailmap, vendored, shallow);
                        reader.NextCommit();
                    }
                    progress?.Report((before + Interlocked.Add(ref described, end - chunk * DescribeChunk), release));
                }
            }
            catch
            {
                Volatile.Write(ref failed, true);
                throw;
            }
            finally
            {
                readers.Return(reader);
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
        mined += shas.Count;
        return ([.. result], relabeled);
    }

    private MinedCommit Describe(CommitReader reader, Oid id, string release, bool unreleased, Mailmap mailmap, IReadOnlySet<string> vendored, HashSet<Oid> shallow)
    {
        var commit = Named($"commit {id}", () => reader.Commit(id));
        var sha = id.ToString();
        var author = mailmap.Resolve(new Identity(commit.AuthorName, commit.AuthorEmail));
        var employer = options.Employers.EmployerOf(author.Email, commit.When);
        // Trailers are reported for Rust changesets only, so only those are parsed (and stored).
        List<MinedTrailer> TrailersOf()
        {
            // One trailer per key and person (after .mailmap): a Reviewed-by written twice is one review.
            var trailers = new List<MinedTrailer>();
            var seen = new HashSet<(string, string)>();
            foreach (var t in Trailers.Parse(commit.Message))
            {
                var person = mailmap.Resolve(t.Person);
                if (seen.Add((t.Key, person.Email.ToLowerInvariant())))
                    trailers.Add(new MinedTrailer(t.Key, person, options.Employers.EmployerOf(person.Email, commit.When)));
            }
            return trailers;
        }
        var subject = commit.Summary;
        // At a shallow clone's boundary the parents are not in the repository: the commit counts as a root (as git log shows it).
        var parents = shallow.Contains(id) ? [] : commit.Parents;
        if (parents.Length > 1)
            return new MinedCommit(sha, release, unreleased, commit.When, author, employer, true, subject, false, false, 0, 0, 0, 0, false, [], false, []);
        var changes = new List<PathChange>();
        Named($"commit {id}", () =>
        {
            Oid? oldTree = parents.Length == 1 ? reader.TreeOf(parents[0]) : null;
            reader.Diff(oldTree, commit.Tree, "", changes);
            return changes;
        });
        bool IsVendored(string p) => vendored.Any(v => p.StartsWith(v, StringComparison.Ordinal));
        var rustDirectory = changes.Any(c => c.Path.StartsWith("rust/", StringComparison.Ordinal) && !IsVendored(c.Path));
        int added = 0, removed = 0, vAdded = 0, vRemoved = 0;
        var rsChanges = changes.Where(c => c.Path.EndsWith(".rs", StringComparison.Ordinal)).ToList();
        foreach (var c in rsChanges)
        {
            var (plus, minus) = LineCounts(reader, c, id);
            if (IsVendored(c.Path))
                (vAdded, vRemoved) = (vAdded + plus, vRemoved + minus);
            else
                (added, removed) = (added + plus, removed + minus);
        }
        var rust = rsChanges.Count > 0 || changes.Any(c => c.Path.StartsWith("rust/", StringComparison.Ordinal));
        if (!rust)
            rust = changes.Where(c => IsBuildFile(c.Path)).Any(c => ChangesRustBuildLine(reader, c, id));
        var vendoredOnly = rust && changes.All(c => IsVendored(c.Path));
        var headers = rustDirectory
            ? changes.Select(c => c.Path).Where(p => p.StartsWith("include/", StringComparison.Ordinal) && p.EndsWith(".h", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList()
            : [];
        var fixesBuild = rust && knowledge.RustBuildFix.IsMatch(subject);
        return new MinedCommit(sha, release, unreleased, commit.When, author, employer, false, subject, rust, vendoredOnly,
            added, removed, vAdded, vRemoved, rustDirectory, headers, fixesBuild, rust ? TrailersOf() : []);
    }

    /// <summary>The commits at a shallow clone's boundary (<c>.git/shallow</c>), whose parents are missing.</summary>
    private static HashSet<Oid> ShallowBoundary(Repository repo)
    {
        var file = Path.Combine(repo.Info.Path, "shallow");
        return File.Exists(file)
            ? [.. File.ReadAllLines(file).Where(l => l.Length >= 40).Select(l => Oid.Parse(Encoding.ASCII.GetBytes(l)))]
            : [];
    }

    private static bool IsBuildFile(string path)
    {
        var name = Path.GetFileName(path);
        return name is "Makefile" or "Kbuild" || name.StartsWith("Kconfig", StringComparison.Ordinal);
    }

    /// <summary>A blob's text; a failed read names the path, the blob and the commit.</summary>
    private static string Text(CommitReader reader, PathChange change, Oid? blob, Oid commit) =>
        blob is { } b ? Named($"{change.Path} ({b}) at {commit}", () => Encoding.UTF8.GetString(reader.Blob(b))) : "";

    /// <summary>Lines added and removed, as <c>git diff --numstat</c> counts them (a minimal line diff, Myers' algorithm).</summary>
    private static (int Added, int Removed) LineCounts(CommitReader reader, PathChange change, Oid commit)
    {
        var diff = LineDiffs.Of(Text(reader, change, change.Old, commit), Text(reader, change, change.New, commit));
        return (diff.DiffBlocks.Sum(b => b.InsertCountB), diff.DiffBlocks.Sum(b => b.DeleteCountA));
    }

    /// <summary>Whether a Kconfig or Makefile change adds or removes a Rust line. Most such files mention no Rust at all: no diff then.</summary>
    private static bool ChangesRustBuildLine(CommitReader reader, PathChange change, Oid commit)
    {
        var before = Text(reader, change, change.Old, commit);
        var after = Text(reader, change, change.New, commit);
        if (!RustBuildLine().IsMatch(before) && !RustBuildLine().IsMatch(after))
            return false;
        var diff = LineDiffs.Of(before, after);
        return diff.DiffBlocks.Any(b =>
            diff.PiecesOld.Skip(b.DeleteStartA).Take(b.DeleteCountA).Concat(diff.PiecesNew.Skip(b.InsertStartB).Take(b.InsertCountB)).Any(l => RustBuildLine().IsMatch(l)));
    }

    /// <summary>Vendored crate directories (<c>rust/alloc/</c>, with the slash) at a commit: the scan's rule, <see cref="Rust.VendoredCrates"/>.</summary>
    private HashSet<string> VendoredCrates(Commit commit)
    {
        var crates = new HashSet<string>(StringComparer.Ordinal);
        var root = knowledge.VendoredCrateRoot.TrimEnd('/');
        if (commit[root]?.Target is not GitTree tree)
            return crates;
        var pending = new Stack<GitTree>([tree]);
        while (pending.TryPop(out var next))
        {
            foreach (var entry in next)
            {
                if (entry.TargetType == TreeEntryTargetType.Tree)
                {
                    pending.Push((GitTree)entry.Target);
                    continue;
                }
                if (entry.Target is not Blob blob || Rust.VendoredCrates.CandidateOf(entry.Path, knowledge) is not { } crate || crates.Contains(crate + "/"))
                    continue;
                var head = new byte[Rust.VendoredCrates.HeadBytes];
                var read = Named($"{entry.Path} ({blob.Sha}) at {commit.Sha}", () =>
                {
                    using var stream = blob.GetContentStream();
                    return stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
                });
                if (Rust.VendoredCrates.VendoredLicence(head.AsSpan(0, read), knowledge) is not null)
                    crates.Add(crate + "/");
            }
        }
        return crates;
    }

    /// <summary>Runs a read through LibGit2Sharp, naming the object when it fails (libgit2 says only "invalid block type").</summary>
    private static T Named<T>(string what, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (LibGit2SharpException ex)
        {
            throw new LibGit2SharpException($"{what}: {ex.Message.Split('\n')[0]}", ex);
        }
    }

    /// <summary>Rust lines per area at a commit, from cached subtrees and blobs: what an earlier tag counted is not read again.</summary>
    private List<TagLines> LinesAt(ReaderPool readers, Commit commit, string release)
    {
        var vendored = VendoredCrates(commit);
        var totals = new Dictionary<string, (long Files, LineStats Lines)>(StringComparer.Ordinal);
        // Raw trees and blobs, as the describing threads read them: LibGit2Sharp's tree objects cost a native call and
        // an object per entry, and a kernel tree has 80,000 entries.
        var reader = readers.Take();
        try
        {
            var files = Named($"the tree of {commit.Sha}", () => RustFiles(reader, Oid.From(commit.Tree.Id.RawId)));
            foreach (var (path, blob) in files)
            {
                if (!_blobLines.TryGetValue(blob, out var lines))
                {
                    lines = Named($"{path} ({blob}) at {commit.Sha}", () => RustLexer.CountLines(reader.Blob(blob)));
                    _blobLines[blob] = lines;
                }
                var area = vendored.Any(v => path.StartsWith(v, StringComparison.Ordinal)) ? "vendored" : knowledge.AreaOf(path);
                var current = totals.GetValueOrDefault(area);
                totals[area] = (current.Files + 1, current.Lines + lines);
            }
        }
        finally
        {
            readers.Return(reader);
        }
        return [.. totals.OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => new TagLines(release, t.Key, t.Value.Files, t.Value.Lines.Code, t.Value.Lines.Comment, t.Value.Lines.Blank))];
    }

    /// <summary>The <c>.rs</c> files under a tree, cached by tree id with paths relative to it: an unchanged directory is walked once for all tags.</summary>
    private List<(string Path, Oid Blob)> RustFiles(CommitReader reader, Oid tree)
    {
        if (!_treeRustFiles.TryGetValue(tree, out var relative))
        {
            relative = [];
            foreach (var (name, kind, id) in reader.Entries(tree))
            {
                if (kind == TreeItemKind.Tree)
                    relative.AddRange(RustFiles(reader, id).Select(f => ($"{name}/{f.Path}", f.Blob)));
                else if (kind == TreeItemKind.Blob && name.EndsWith(".rs", StringComparison.Ordinal))
                    relative.Add((name, id));
            }
            _treeRustFiles[tree] = relative;
        }
        return relative;
    }
}
