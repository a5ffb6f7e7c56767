using LibGit2Sharp;
using Oxidation.Tree;

namespace Oxidation.Git;

/// <summary>
/// The tree of a commit, read from git objects: no checkout, no work tree (a bare clone works). Lists the tree on one
/// thread, then reads the blobs on every core through the history engine's readers (<see cref="PackSet"/> shared,
/// a <see cref="PackReader"/> per thread, <see cref="RawObjects"/> for loose objects), handing each file to the sink with
/// its blob id as its content id. What a file is matches what a release tarball made by <c>git archive</c> holds:
/// regular files (both modes), symbolic links as links (not followed), submodules left out.
/// </summary>
public sealed class GitSourceTree : ISourceTree
{
    private readonly string _gitDirectory;
    private readonly Oid _tree;
    private readonly GitTreeCache? _listings;
    private readonly Func<string, bool>? _include;

    private GitSourceTree(string repository, string gitDirectory, string rev, string commit, DateOnly date, Oid tree, GitTreeCache? listings, Func<string, bool>? include)
    {
        Date = date;
        _listings = listings;
        _include = include;
        Repository = repository;
        _gitDirectory = gitDirectory;
        Rev = rev;
        Commit = commit;
        _tree = tree;
    }

    /// <summary>The repository as the user named it.</summary>
    public string Repository { get; }

    /// <summary>The revision as the user named it: <c>v6.12</c>, a branch, a commit id.</summary>
    public string Rev { get; }

    /// <summary>The commit the revision names (40 hex digits).</summary>
    public string Commit { get; }

    /// <summary>The commit's committer date (UTC): the day a release commit was made, for milestones.</summary>
    public DateOnly? Date { get; }

    /// <summary>The <c>source</c> of the scan: <c>REPOSITORY@COMMIT</c>.</summary>
    public string Description => $"{Repository}@{Commit}";

    /// <summary>
    /// The tree of the commit <paramref name="rev"/> names in <paramref name="repository"/> (a work tree or a bare clone);
    /// annotated tags are peeled. Throws <see cref="SourceTreeException"/> naming the repository and the rev when it is not a
    /// repository, the rev is unknown, or it names a tree or a blob rather than a commit.
    /// </summary>
    /// <param name="repository">A work tree or a bare clone.</param>
    /// <param name="rev">A tag, branch or commit id.</param>
    /// <param name="listings">Tree listings kept from the previous tree read with the same cache: an unchanged subtree is not descended.</param>
    /// <param name="include">Keeps only the paths it accepts (every path is listed and asked; only those accepted are read),
    /// as <see cref="SourceTrees.Open"/>'s filter.</param>
    public static GitSourceTree Open(string repository, string rev, GitTreeCache? listings = null, Func<string, bool>? include = null)
    {
        using var repo = CommitPatches.OpenRepository(repository);
        var commit = CommitPatches.Resolve(repo, repository, rev, "--rev");
        return new GitSourceTree(repository, repo.Info.Path, rev, commit.Sha, DateOnly.FromDateTime(commit.Committer.When.UtcDateTime), Oid.From(commit.Tree.Id.RawId), listings, include);
    }

    /// <inheritdoc />
    public void ReadAll(ISourceFileSink sink, int parallelism, CancellationToken cancellationToken)
    {
        PackSet packs;
        try
        {
            packs = PackSet.Open(_gitDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new SourceTreeException($"{Repository}: cannot read its pack files: {ex.Message}", ex);
        }
        using (packs)
        {
            var used = new Dictionary<Oid, List<(string Path, Oid Blob, bool Link)>>();
            List<(string Path, Oid Blob, bool Link)> all;
            using (var lister = new CommitReader(new RawObjects(_gitDirectory, packs)))
                all = List(lister, _tree, "", used);
            _listings?.Keep(used);
            var files = new List<(string Path, Oid Blob, string Id)>(all.Count);
            foreach (var (path, blob, link) in all)
            {
                if (_include is not null && !_include(path))
                    continue;
                if (link)
                    sink.Link(path);
                else
                    files.Add((path, blob, blob.ToString()));
            }
            sink.Listed([.. files.Select(f => (f.Path, f.Id))]);
            long count = 0, bytes = 0;
            try
            {
                Parallel.ForEach(
                    files,
                    new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
                    () => new RawObjects(_gitDirectory, packs),
                    (file, _, reader) =>
                    {
                        var id = file.Id;
                        if (sink.TryReuse(file.Path, id))
                        {
                            Interlocked.Increment(ref count);
                            return reader;
                        }
                        var content = Read(reader, file.Path, file.Blob);
                        if (content is null)
                        {
                            sink.Problem(file.Path, $"blob {file.Blob} is not a blob; not counted");
                            return reader;
                        }
                        if (content.Length > SourceTrees.MaxFileSize)
                            sink.Problem(file.Path, $"larger than {SourceTrees.MaxFileSize / (1024 * 1024)} MiB ({content.Length:N0} bytes); not counted");
                        else
                            sink.File(new SourceFile(file.Path, content, id));
                        var n = Interlocked.Increment(ref count);
                        var b = Interlocked.Add(ref bytes, content.Length);
                        if ((n & 1023) == 0)
                            sink.Progress(n, b, 0);
                        return reader;
                    },
                    reader => reader.Dispose());
            }
            catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is SourceTreeException))
            {
                throw ex.InnerExceptions[0];
            }
            sink.Progress(count, bytes, 0);
        }
    }

    private byte[]? Read(RawObjects reader, string path, Oid blob)
    {
        try
        {
            var data = reader.Read(blob, out var type);
            return type == 3 ? data : null;
        }
        catch (Exception ex) when (ex is LibGit2SharpException or InvalidDataException)
        {
            throw new SourceTreeException($"{Repository}: {path} (blob {blob}) at {Commit} cannot be read: {ex.Message.Split('\n')[0]}", ex);
        }
    }

    /// <summary>Every file under a tree with its path relative to it, links marked, submodules left out as <c>git archive</c>
    /// does; a subtree listed before (at this tree or the previous one read with the same cache) is not read again.</summary>
    private List<(string Path, Oid Blob, bool Link)> List(CommitReader reader, Oid tree, string prefix, Dictionary<Oid, List<(string, Oid, bool)>> used)
    {
        if (used.TryGetValue(tree, out var known) || (_listings is not null && _listings.TryGet(tree, out known)))
        {
            used[tree] = known;
            return known;
        }
        List<(string Name, TreeItemKind Kind, Oid Id, bool Link)> entries;
        try
        {
            entries = reader.EntriesWithLinks(tree);
        }
        catch (Exception ex) when (ex is LibGit2SharpException or InvalidDataException)
        {
            throw new SourceTreeException($"{Repository}: tree {tree} at {(prefix.Length == 0 ? "the top" : prefix)} of {Commit} cannot be read: {ex.Message.Split('\n')[0]}", ex);
        }
        var files = new List<(string, Oid, bool)>();
        foreach (var (name, kind, id, link) in entries)
        {
            if (kind == TreeItemKind.Tree)
            {
                foreach (var (path, blob, isLink) in List(reader, id, prefix + name + "/", used))
                    files.Add((name + "/" + path, blob, isLink));
            }
            else if (kind != TreeItemKind.Submodule)
            {
                files.Add((name, id, link));
            }
        }
        used[tree] = files;
        return files;
    }
}

/// <summary>
/// The listings of the trees last read through it, by tree id: the next tag's tree descends only into subtrees whose ids
/// changed. Only the last tree's listings are kept, so memory does not grow with the number of tags.
/// </summary>
public sealed class GitTreeCache
{
    private Dictionary<Oid, List<(string Path, Oid Blob, bool Link)>> _trees = [];

    /// <summary>Subtrees listed without being read, over the trees read through this cache.</summary>
    public long Reused { get; private set; }

    internal bool TryGet(Oid tree, out List<(string Path, Oid Blob, bool Link)> listing)
    {
        lock (this)
        {
            if (!_trees.TryGetValue(tree, out listing!))
                return false;
            Reused++;
            return true;
        }
    }

    internal void Keep(Dictionary<Oid, List<(string Path, Oid Blob, bool Link)>> used)
    {
        lock (this)
            _trees = used;
    }
}
