using System.Text;
using LibGit2Sharp;
using Oxidation.History;
using Oxidation.Rust;
using GitTree = LibGit2Sharp.Tree;
using Identity = Oxidation.History.Identity;

namespace Oxidation.Git;

/// <summary>
/// A consumer of the history walk (<see cref="HistoryWalk"/>; STYLE.md §4, scc's <c>CommitObserver</c>): the walk reads
/// each commit and its tree diff once and hands them to every observer, each owning one measure. Observers run in the
/// order they are given, so one may read what an earlier one recorded (the people observer parses trailers only of the
/// commits the Rust changeset observer classed as Rust).
/// </summary>
internal interface IHistoryObserver
{
    /// <summary>Once, before the first segment, on the walking thread: the repository's HEAD and where warnings go.</summary>
    void BeginWalk(HistoryWalkStart start)
    {
    }

    /// <summary>Before a segment's commits, on the walking thread: the place to ask the segment for what every commit needs.</summary>
    void BeginSegment(HistorySegment segment)
    {
    }

    /// <summary>
    /// Each commit of the segment that is mined (not the ones only relabeled), from several threads at once (one per core,
    /// each with its own reader): an observer writes only its own fields of <see cref="HistoryCommit.Record"/> and keeps
    /// any state of its own thread-safe.
    /// </summary>
    void Observe(HistoryCommit commit)
    {
    }

    /// <summary>After every commit of the segment, on the walking thread, before the segment is stored.</summary>
    void EndSegment(HistorySegment segment)
    {
    }
}

/// <summary>What an observer is told before the walk: HEAD (null in a repository without commits) and the walk's warnings.</summary>
internal sealed record HistoryWalkStart(LibGit2Sharp.Commit? Head, ICollection<string> Warnings);

/// <summary>
/// A release segment as the walk sees it: its name, its tip and the tags it starts after. The vendored crates and the
/// readers are inputs observers ask for; <see cref="Lines"/> is what the per-tag observer records.
/// </summary>
internal sealed class HistorySegment
{
    private readonly Func<LibGit2Sharp.Commit, IReadOnlySet<string>> _vendoredAt;
    private readonly Lazy<IReadOnlySet<string>> _vendored;

    internal HistorySegment(string release, bool unreleased, LibGit2Sharp.Commit tip, IReadOnlyList<LibGit2Sharp.Commit> bases, ReaderPool readers,
        Func<LibGit2Sharp.Commit, IReadOnlySet<string>> vendoredAt)
    {
        (Release, Unreleased, Tip, Bases, Readers, _vendoredAt) = (release, unreleased, tip, bases, readers, vendoredAt);
        _vendored = new(() =>
        {
            // A crate vendored at the start of the release stays vendored when the release removes it (6.10 removed
            // rust/alloc: its lines are vendored lines removed, not kernel Rust).
            var crates = new HashSet<string>(vendoredAt(tip), StringComparer.Ordinal);
            foreach (var b in bases)
                crates.UnionWith(vendoredAt(b));
            return crates;
        });
    }

    /// <summary>The release name (<c>6.2</c>), or <c>X.Y+</c> for the unreleased tail.</summary>
    public string Release { get; }

    public bool Unreleased { get; }

    /// <summary>The segment's tag (or HEAD for the tail).</summary>
    public LibGit2Sharp.Commit Tip { get; }

    /// <summary>The commits whose history is excluded: the tag before, and for the tail the tail stored before.</summary>
    public IReadOnlyList<LibGit2Sharp.Commit> Bases { get; }

    /// <summary>Readers of raw objects (one per thread: take one, return it).</summary>
    internal ReaderPool Readers { get; }

    /// <summary>Vendored crate directories (<c>rust/alloc/</c>, with the slash) at the tip or at a base: read once per segment, when first asked.</summary>
    public IReadOnlySet<string> VendoredCrates() => _vendored.Value;

    /// <summary>Vendored crate directories at one commit (<see cref="Rust.VendoredCrates"/>'s rule), read once per commit for the whole walk.</summary>
    public IReadOnlySet<string> VendoredCratesAt(LibGit2Sharp.Commit commit) => _vendoredAt(commit);

    /// <summary>Whether a path lies in one of <paramref name="crates"/> (directories with their trailing slash).</summary>
    public static bool IsVendored(string path, IReadOnlySet<string> crates) => crates.Any(v => path.StartsWith(v, StringComparison.Ordinal));

    /// <summary>Rust lines per area at the tip, as the per-tag observer counts them (none without it).</summary>
    public IReadOnlyList<TagLines> Lines { get; set; } = [];
}

/// <summary>
/// One commit as the walk read it: the raw commit, its parents (none at a shallow clone's boundary), the paths it changed
/// against its first parent (none for a merge, which is not diffed), and the record observers fill. Blob contents are read
/// only when an observer asks (<see cref="Text"/>).
/// </summary>
internal sealed class HistoryCommit(Oid id, RawCommit commit, Oid[] parents, IReadOnlyList<PathChange> changes, HistorySegment segment, CommitReader reader, MinedCommitBuilder record)
{
    public Oid Id { get; } = id;

    public RawCommit Commit { get; } = commit;

    public Oid[] Parents { get; } = parents;

    public bool Merge => Parents.Length > 1;

    public IReadOnlyList<PathChange> Changes { get; } = changes;

    public HistorySegment Segment { get; } = segment;

    /// <summary>What the history stores of the commit: the walk sets its identity, each observer its own fields.</summary>
    public MinedCommitBuilder Record { get; } = record;

    /// <summary>A blob's text ("" for none); a failed read names the path, the blob and the commit.</summary>
    public string Text(PathChange change, Oid? blob) =>
        blob is { } b ? GitReads.Named($"{change.Path} ({b}) at {Id}", () => Encoding.UTF8.GetString(reader.Blob(b))) : "";
}

/// <summary>The fields of a <see cref="MinedCommit"/> as the walk and its observers fill them; each observer owns a few.</summary>
internal sealed class MinedCommitBuilder(string sha, string release, bool unreleased, DateTimeOffset date, bool merge, string subject)
{
    public string Sha { get; } = sha;
    public string Release { get; } = release;
    public bool Unreleased { get; } = unreleased;
    public DateTimeOffset Date { get; } = date;
    public bool Merge { get; } = merge;
    public string Subject { get; } = subject;
    public Identity Author { get; set; } = new("", "");
    public string Employer { get; set; } = "";
    public bool Rust { get; set; }
    public bool VendoredOnly { get; set; }
    public int RustAdded { get; set; }
    public int RustRemoved { get; set; }
    public int VendoredAdded { get; set; }
    public int VendoredRemoved { get; set; }
    public bool TouchesRustDirectory { get; set; }
    public IReadOnlyList<string> Headers { get; set; } = [];
    public bool FixesRustBuild { get; set; }
    public IReadOnlyList<MinedTrailer> Trailers { get; set; } = [];

    public MinedCommit Build() => new(Sha, Release, Unreleased, Date, Author, Employer, Merge, Subject, Rust, VendoredOnly,
        RustAdded, RustRemoved, VendoredAdded, VendoredRemoved, TouchesRustDirectory, Headers, FixesRustBuild, Trailers);
}

/// <summary>Reads through LibGit2Sharp that name what failed.</summary>
internal static class GitReads
{
    /// <summary>Runs a read, naming the object when it fails (libgit2 says only "invalid block type").</summary>
    public static T Named<T>(string what, Func<T> read)
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

    /// <summary>Vendored crate directories (<c>rust/alloc/</c>, with the slash) at a commit: the scan's rule, <see cref="Rust.VendoredCrates"/>.</summary>
    public static HashSet<string> VendoredCrates(LibGit2Sharp.Commit commit, RustKnowledge knowledge)
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
}
