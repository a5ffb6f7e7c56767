using System.Diagnostics;
using LibGit2Sharp;
using Oxidation.Model;
using Oxidation.Releases;
using Oxidation.Scanning;
using Oxidation.Tree;

namespace Oxidation.Git;

/// <summary>What <c>oxidation releases</c> scans: resolved once from the command line.</summary>
/// <param name="Repository">A git clone (work tree or bare), as a full path.</param>
/// <param name="Since">The first release tag (default <c>v6.1</c>, the first release with Rust).</param>
/// <param name="Until">The last release tag, or null for all.</param>
/// <param name="Candidates">Also <c>vX.Y-rcN</c> tags.</param>
/// <param name="Stable">Also <c>vX.Y.Z</c> tags.</param>
/// <param name="Parallelism">Threads reading and counting.</param>
public sealed record ReleasesOptions(string Repository, string Since, string? Until, bool Candidates, bool Stable, int Parallelism)
{
    /// <summary>The tag kinds scanned.</summary>
    public ReleaseKind[] Kinds => [ReleaseKind.Mainline, .. Candidates ? new[] { ReleaseKind.Candidate } : [], .. Stable ? new[] { ReleaseKind.Stable } : []];

    /// <summary>The bounds as releases; a name that is not a release tag, or a range holding none, is a <see cref="SourceTreeException"/>.</summary>
    public (Release Since, Release? Until) Bounds()
    {
        if (!Release.TryParseTag(Since, out var since, out _, Kinds))
            throw new SourceTreeException($"--since {Since}: not a release tag (expected vX.Y, e.g. v6.1)");
        if (Until is null)
            return (since, null);
        if (!Release.TryParseTag(Until, out var until, out _, Kinds))
            throw new SourceTreeException($"--until {Until}: not a release tag (expected vX.Y, e.g. v7.0)");
        if (since > until)
            throw new SourceTreeException($"--since {Since} is after --until {Until}: no release to scan");
        return (since, until);
    }
}

/// <summary>A release tag scanned: its scan, how many files were read and how many came from the blob cache, how long it took.</summary>
public sealed record ScannedTag(Release Tag, string Commit, ScanResult Scan, long Read, long Reused, TimeSpan Elapsed)
{
    /// <summary>The run's file cache: its new results are stored with the tag (<c>ScanStore.Save</c>).</summary>
    public ScanCache? Cache { get; init; }
}

/// <summary>
/// Scans every release tag of a repository from git objects, oldest first, sharing one blob cache and one tree-listing
/// cache across tags: a file already counted at an earlier tag is not read again (unless an analysis needs its bytes),
/// and a subtree whose id did not change is not descended. Each tag is handed to the caller as soon as it is scanned,
/// so it can be stored in its own transaction: an interrupted run keeps the finished tags, and a rerun skips them.
/// </summary>
public sealed class ReleaseScanner(ReleasesOptions options)
{
    /// <summary>Tags skipped or not stored, one line each (a tag naming a tree, two tags stating the same version).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Tags that could not be scanned (not a kernel tree, an unreadable object), one line each naming the tag.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>The release tags in range and their commits, oldest first. A tag naming a tree or a blob is skipped with a warning.</summary>
    public List<(Release Tag, string Commit)> Tags()
    {
        var (since, until) = options.Bounds();
        var gitDirectory = LibGit2Sharp.Repository.Discover(options.Repository)
            ?? throw new SourceTreeException($"{options.Repository}: not a git repository");
        using var repo = new LibGit2Sharp.Repository(gitDirectory);
        var tags = new List<(Release, string)>();
        foreach (var (tag, name, reference) in ReleaseTagRefs.List(repo, Warnings, options.Kinds))
        {
            if (tag < since || (until is { } u && tag > u))
                continue;
            GitObject? target = null;
            try
            {
                target = repo.Lookup(reference.ResolveToDirectReference()?.TargetIdentifier ?? "");
                while (target is TagAnnotation annotation)
                    target = annotation.Target;
            }
            catch (LibGit2SharpException ex)
            {
                Failures.Add($"tag {name}: cannot be read ({ex.Message.Split('\n')[0]})");
                continue;
            }
            switch (target)
            {
                case LibGit2Sharp.Commit commit:
                    tags.Add((tag, commit.Sha));
                    break;
                case null:
                    Failures.Add($"tag {name}: its object is missing from the repository (a shallow clone?)");
                    break;
                default:
                    Warnings.Add($"tag {name}: names a {(target is LibGit2Sharp.Tree ? "tree" : "blob")} {target.Sha}, not a commit; skipped");
                    break;
            }
        }
        if (until is not null && !tags.Any(t => t.Item1 == until))
            throw new SourceTreeException($"--until {options.Until}: no such tag in {options.Repository}");
        return tags;
    }

    /// <summary>
    /// Scans the tags in range whose <c>source</c> (<c>REPOSITORY@COMMIT</c>) is not stored yet, handing each
    /// to <paramref name="store"/>. <paramref name="storedReleases"/> maps the releases already stored to their source, so a
    /// second tag stating the same Makefile version is not stored over the first (a warning says which was kept).
    /// </summary>
    /// <param name="storedReleases">The releases stored, with their sources.</param>
    /// <param name="store">Stores a scanned tag (and the cache's new file results, <see cref="ScannedTag.Cache"/>).</param>
    /// <param name="progress">A line per tag.</param>
    /// <param name="files">Where file results outlive the run (the database), or null.</param>
    /// <param name="cancellationToken">Stops between and inside tags.</param>
    public void Scan(IReadOnlyDictionary<string, string> storedReleases, Action<ScannedTag> store, IProgress<string>? progress = null, IFileResultStore? files = null, CancellationToken cancellationToken = default)
    {
        var tags = Tags();
        var stored = storedReleases.Values.ToHashSet(StringComparer.Ordinal);
        var kept = new Dictionary<string, string>(storedReleases, StringComparer.Ordinal); // release -> source kept
        var byTag = new Dictionary<string, string>(StringComparer.Ordinal); // source -> tag, for messages
        var cache = new ScanCache(files);
        var listings = new GitTreeCache();
        var todo = tags.Where(t => !stored.Contains($"{options.Repository}@{t.Commit}")).ToList();
        progress?.Report($"{tags.Count} release tags in range, {tags.Count - todo.Count} already stored, {todo.Count} to scan");
        var done = 0;
        foreach (var (tag, commit) in todo)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var fetchedBefore = cache.Fetched;
            ScanResult scan;
            try
            {
                scan = Scanner.Scan(GitSourceTree.Open(options.Repository, tag.Tag, listings), options.Parallelism, null, cache, cancellationToken);
            }
            catch (Exception ex) when (ex is ScanException or SourceTreeException)
            {
                Failures.Add($"tag {tag.Tag}: {ex.Message}");
                continue;
            }
            done++;
            if (kept.TryGetValue(scan.Release, out var first) && first != scan.Source)
            {
                var firstName = byTag.GetValueOrDefault(first, first);
                Warnings.Add($"tag {tag.Tag}: its top Makefile states {scan.Release}, as {firstName} does; kept {firstName}, {tag.Tag} not stored");
                continue;
            }
            kept[scan.Release] = scan.Source;
            byTag[scan.Source] = $"tag {tag.Tag}";
            var read = scan.Summary.Files - scan.Reused;
            store(new ScannedTag(tag, commit, scan, read, scan.Reused, clock.Elapsed) { Cache = cache });
            var fetched = cache.Fetched - fetchedBefore;
            progress?.Report($"{tag.Tag} ({done}/{todo.Count}): {scan.Release}, {scan.Summary.Files:N0} files: {read:N0} read, {scan.Reused:N0} reused{(fetched > 0 ? $" ({fetched:N0} file results from the database)" : "")}; {clock.Elapsed.TotalSeconds:F1} s");
        }
    }
}
