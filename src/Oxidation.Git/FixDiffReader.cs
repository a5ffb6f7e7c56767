using System.Text;
using LibGit2Sharp;
using Oxidation.Cves;
using Oxidation.Tree;

namespace Oxidation.Git;

/// <summary>
/// The fix commits of CVE records, read from a kernel clone (<c>cves import --repo</c>): a commit id is looked up through
/// libgit2 (abbreviations too), its diff against its first parent (a root commit: against the empty tree) computed from raw
/// objects by the history engine's readers (<see cref="CommitReader"/>'s tree diff over <see cref="PackSet"/> and
/// <see cref="RawObjects"/>, one reader per thread from a pool) and the line diff the history counts lines with
/// (<see cref="LineDiffs"/>). Binary files (a NUL byte) have no lines. Thread-safe.
/// </summary>
public sealed class FixDiffReader : IFixDiffSource, IDisposable
{
    private readonly LibGit2Sharp.Repository _repo;
    private readonly Lock _lookup = new();
    private readonly PackSet _packs;
    private readonly ReaderPool _readers;

    private FixDiffReader(string repository, LibGit2Sharp.Repository repo, PackSet packs)
    {
        Repository = repository;
        _repo = repo;
        _packs = packs;
        Head = repo.Head.Tip?.Sha ?? "";
        _readers = new ReaderPool(() => new CommitReader(new RawObjects(repo.Info.Path, packs)));
    }

    /// <inheritdoc/>
    public string Repository { get; }

    /// <inheritdoc/>
    public string Head { get; }

    /// <summary>
    /// Opens <paramref name="repository"/> (a work tree or a bare clone); throws <see cref="SourceTreeException"/> naming it
    /// when it is not a directory or not a git repository, or its pack files cannot be read.
    /// </summary>
    public static FixDiffReader Open(string repository)
    {
        if (!Directory.Exists(repository))
            throw new SourceTreeException(File.Exists(repository) ? $"{repository}: not a directory (a kernel clone is)" : $"{repository}: no such directory");
        var gitDirectory = LibGit2Sharp.Repository.Discover(repository)
            ?? throw new SourceTreeException($"{repository}: not a git repository");
        LibGit2Sharp.Repository repo;
        try
        {
            repo = new LibGit2Sharp.Repository(gitDirectory);
        }
        catch (RepositoryNotFoundException ex)
        {
            throw new SourceTreeException($"{repository}: not a git repository", ex);
        }
        try
        {
            return new FixDiffReader(repository, repo, PackSet.Open(repo.Info.Path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            repo.Dispose();
            throw new SourceTreeException($"{repository}: cannot read its pack files: {ex.Message}", ex);
        }
    }

    /// <inheritdoc/>
    public string? Resolve(string sha)
    {
        ArgumentNullException.ThrowIfNull(sha);
        // LibGit2Sharp's repository is not documented as thread-safe: one lookup at a time (a lookup is microseconds).
        lock (_lookup)
        {
            try
            {
                return _repo.Lookup(sha) is LibGit2Sharp.Commit commit ? commit.Sha : null;
            }
            catch (LibGit2SharpException)
            {
                // An abbreviation two objects share, or an unreadable object: not a fix this clone can give.
                return null;
            }
        }
    }

    /// <inheritdoc/>
    public FixDiff Read(string commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var reader = _readers.Take();
        try
        {
            var id = Oid.Parse(Encoding.ASCII.GetBytes(commit));
            var raw = reader.Commit(id);
            Oid? parentTree = raw.Parents.Length > 0 ? reader.TreeOf(raw.Parents[0]) : null;
            var changes = new List<PathChange>();
            reader.Diff(parentTree, raw.Tree, "", changes);
            reader.NextCommit();
            var files = new List<FileDiff>(changes.Count);
            foreach (var change in changes.OrderBy(c => c.Path, StringComparer.Ordinal))
            {
                var before = Text(reader, change.Old);
                var after = Text(reader, change.New);
                if (before is null || after is null)
                {
                    files.Add(new FileDiff(change.Path, [], []));
                    continue;
                }
                var diff = LineDiffs.Of(before, after);
                var added = diff.DiffBlocks.SelectMany(b => diff.PiecesNew.Skip(b.InsertStartB).Take(b.InsertCountB)).Select(l => l.TrimEnd('\n')).ToList();
                var removed = diff.DiffBlocks.SelectMany(b => diff.PiecesOld.Skip(b.DeleteStartA).Take(b.DeleteCountA)).Select(l => l.TrimEnd('\n')).ToList();
                files.Add(new FileDiff(change.Path, added, removed));
            }
            return new FixDiff(commit, files);
        }
        catch (Exception ex) when (ex is LibGit2SharpException or FormatException or InvalidDataException)
        {
            throw new FixDiffException($"{Repository}: {commit}: {ex.Message.Split('\n')[0]}", ex);
        }
        finally
        {
            _readers.Return(reader);
        }
    }

    /// <summary>A blob's text, empty for a path the commit added or deleted, null for a binary file.</summary>
    private static string? Text(CommitReader reader, Oid? blob)
    {
        if (blob is not { } b)
            return "";
        var bytes = reader.Blob(b);
        return bytes.AsSpan().IndexOf((byte)0) >= 0 ? null : Encoding.UTF8.GetString(bytes);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _readers.Dispose();
        _packs.Dispose();
        _repo.Dispose();
    }
}
