using Oxidation.History;
using Oxidation.Releases;
using Oxidation.Rust;

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
/// Mines a repository: the history walk (<see cref="HistoryWalk"/>: one revision walk per release segment, a tree diff
/// per commit) with the observers that make the stored history, each owning one measure: Rust changesets and their lines
/// (<see cref="RustChangesetObserver"/>), C headers changed with <c>rust/</c> (<see cref="DualApiObserver"/>), authors,
/// employers and trailers (<see cref="PeopleObserver"/>), Rust lines per area at each tag (<see cref="RustLinesObserver"/>).
/// Segments are handed to the caller one by one, so each can be stored in its own transaction and an interrupted run
/// resumes at the first segment not stored.
/// </summary>
public sealed class HistoryMiner
{
    private readonly HistoryWalk _walk;

    /// <summary>A miner of the repository <paramref name="options"/> names, with the standard observers.</summary>
    public HistoryMiner(HistoryOptions options, RustKnowledge knowledge)
        : this(options, knowledge, [])
    {
    }

    /// <summary>A miner whose walk also feeds <paramref name="extra"/>, after the standard observers.</summary>
    internal HistoryMiner(HistoryOptions options, RustKnowledge knowledge, IEnumerable<IHistoryObserver> extra) =>
        _walk = new HistoryWalk(options, knowledge, [.. Observers(options, knowledge), .. extra]);

    /// <summary>The observers of the stored history, in the order they run.</summary>
    internal static IHistoryObserver[] Observers(HistoryOptions options, RustKnowledge knowledge) =>
        [new RustChangesetObserver(knowledge), new DualApiObserver(knowledge), new PeopleObserver(options.Employers), new RustLinesObserver(knowledge)];

    /// <summary>Warnings: a shallow clone, an unreadable mailmap line.</summary>
    public List<string> Warnings => _walk.Warnings;

    /// <summary>Whether some history could not be read (a shallow clone): results are partial.</summary>
    public bool Partial => _walk.Partial;

    /// <summary>Mines every segment not in <paramref name="state"/>, calling <paramref name="store"/> after each.</summary>
    public void Mine(HistoryState state, Action<MinedSegment> store, IProgress<(long Commits, string Release)>? progress = null) =>
        _walk.Run(state, store, progress);
}
