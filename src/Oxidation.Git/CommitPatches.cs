using LibGit2Sharp;
using Oxidation.Tree;

namespace Oxidation.Git;

/// <summary>A commit as <c>oxidation impact</c> reads it: its id, subject, its first parent, and the unified diff against that parent
/// (renames detected as <c>git diff -M</c> does, binary files as <c>Binary files … differ</c>), with the paths it changes.</summary>
public sealed record CommitPatch(string Commit, string Subject, string Parent, string Text, IReadOnlyList<CommitPatchFile> Files);

/// <summary>A file a commit changes: the path before (null for a new file) and after (null for a deleted one).</summary>
public sealed record CommitPatchFile(string? OldPath, string? NewPath);

/// <summary>Reads commits and their diffs for impact analysis. Errors are <see cref="SourceTreeException"/>s naming the repository
/// and the revision, as <see cref="GitSourceTree.Open"/>'s.</summary>
public static class CommitPatches
{
    /// <summary>The diff of the commit <paramref name="rev"/> names against its first parent. A root commit (no parent) or a
    /// rev that names no commit is an error.</summary>
    public static CommitPatch Of(string repository, string rev)
    {
        using var repo = OpenRepository(repository);
        var commit = Resolve(repo, repository, rev, "--commit");
        var parent = commit.Parents.FirstOrDefault()
            ?? throw new SourceTreeException($"{repository}: --commit {rev}: {commit.Sha[..12]} is a root commit (no parent to compare with)");
        return Patch(repo, commit, parent);
    }

    /// <summary>The commits reachable from <paramref name="until"/> (HEAD when null) and not from <paramref name="since"/>,
    /// oldest first, that have a parent, are not merges, and change both <c>include/</c> and <c>rust/</c>: the commits
    /// whose C part can be checked against the Rust files they change. The diff text holds only <c>include/</c>,
    /// <c>arch/x86/include/</c> and <c>rust/</c>; <see cref="CommitPatch.Files"/> lists every changed path.</summary>
    public static IReadOnlyList<CommitPatch> Mixed(string repository, string? since, string? until)
    {
        using var repo = OpenRepository(repository);
        var head = until is null ? repo.Head.Tip ?? throw new SourceTreeException($"{repository}: no commits") : Resolve(repo, repository, until, "--until");
        var filter = new CommitFilter { IncludeReachableFrom = head, SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Reverse };
        if (since is not null)
            filter.ExcludeReachableFrom = Resolve(repo, repository, since, "--since");
        var mixed = new List<CommitPatch>();
        foreach (var commit in repo.Commits.QueryBy(filter))
        {
            if (commit.Parents.Count() != 1)
                continue;
            var parent = commit.Parents.First();
            var changes = repo.Diff.Compare<TreeChanges>(parent.Tree, commit.Tree);
            var paths = changes.SelectMany(c => new[] { c.OldPath, c.Path }).ToList();
            if (paths.Any(p => p.StartsWith("include/", StringComparison.Ordinal)) && paths.Any(p => p.StartsWith("rust/", StringComparison.Ordinal)))
            {
                // Only the text of what bindgen can read is needed; every changed path is still listed.
                var patch = Patch(repo, commit, parent, CSide);
                mixed.Add(patch with { Files = [.. changes.Select(c => new CommitPatchFile(c.Status == ChangeKind.Added ? null : c.OldPath, c.Status == ChangeKind.Deleted ? null : c.Path))] });
            }
        }
        return mixed;
    }

    /// <summary>The size of each of <paramref name="paths"/> that is a file at <paramref name="commit"/>.</summary>
    public static IReadOnlyList<(string Path, long Size)> Sizes(string repository, string commit, IEnumerable<string> paths)
    {
        using var repo = OpenRepository(repository);
        var at = Resolve(repo, repository, commit, "--commit");
        return [.. paths.Select(p => (Path: p, Entry: at[p])).Where(e => e.Entry?.Target is Blob).Select(e => (e.Path, ((Blob)e.Entry.Target).Size))];
    }

    /// <summary>The directories whose headers bindgen can read (the include search path and <c>rust/</c>).</summary>
    private static readonly string[] CSide = ["include/", "arch/x86/include/", "rust/"];

    private static CommitPatch Patch(Repository repo, Commit commit, Commit parent, IEnumerable<string>? paths = null)
    {
        var options = new CompareOptions { Similarity = SimilarityOptions.Renames, ContextLines = 3 };
        var patch = paths is null ? repo.Diff.Compare<Patch>(parent.Tree, commit.Tree, options) : repo.Diff.Compare<Patch>(parent.Tree, commit.Tree, paths, null, options);
        var files = patch.Select(p => new CommitPatchFile(
            p.Status == ChangeKind.Added ? null : p.OldPath,
            p.Status == ChangeKind.Deleted ? null : p.Path)).ToList();
        return new CommitPatch(commit.Sha, commit.MessageShort, parent.Sha, patch.Content, files);
    }

    /// <summary>The repository at <paramref name="repository"/> (a work tree or a bare clone), or an error naming it.</summary>
    internal static Repository OpenRepository(string repository)
    {
        if (!Directory.Exists(repository))
            throw new SourceTreeException($"{repository}: no such directory");
        var gitDirectory = Repository.Discover(repository) ?? throw new SourceTreeException($"{repository}: not a git repository");
        try
        {
            return new Repository(gitDirectory);
        }
        catch (RepositoryNotFoundException ex)
        {
            throw new SourceTreeException($"{repository}: not a git repository", ex);
        }
    }

    /// <summary>The commit <paramref name="rev"/> names (annotated tags peeled), or an error naming the repository, the option and the rev.</summary>
    internal static Commit Resolve(Repository repo, string repository, string rev, string option)
    {
        GitObject? target;
        try
        {
            target = repo.Lookup(rev);
        }
        catch (LibGit2SharpException ex) when (ex is not NotFoundException)
        {
            throw new SourceTreeException($"{repository}: {option} {rev}: {ex.Message.Split('\n')[0]}", ex);
        }
        while (target is TagAnnotation annotation)
            target = annotation.Target;
        return target switch
        {
            Commit commit => commit,
            null => throw new SourceTreeException($"{repository}: {option} {rev}: no such tag, branch or commit"),
            _ => throw new SourceTreeException($"{repository}: {option} {rev} names a {target switch { LibGit2Sharp.Tree => "tree", Blob => "blob", _ => "object" }} {target.Sha}, not a commit"),
        };
    }
}
