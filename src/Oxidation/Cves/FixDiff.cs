namespace Oxidation.Cves;

/// <summary>One file a fix commit changed: the lines it added and removed (without their newlines), in file order.</summary>
public sealed record FileDiff(string Path, IReadOnlyList<string> Added, IReadOnlyList<string> Removed);

/// <summary>What a fix commit did: its diff against its first parent (a root commit: against the empty tree), file by file.</summary>
public sealed record FixDiff(string Commit, IReadOnlyList<FileDiff> Files);

/// <summary>
/// Where <c>cves import --repo</c> reads the fix commits a record references (the <c>…/c/SHA</c> links): a kernel clone.
/// Implemented in src/Oxidation.Git (the one project that knows git); thread-safe.
/// </summary>
public interface IFixDiffSource
{
    /// <summary>The clone as the user named it.</summary>
    string Repository { get; }

    /// <summary>The commit the clone's HEAD names: part of an import's fingerprint, so fetching new commits imports again.</summary>
    string Head { get; }

    /// <summary>The full id of the commit <paramref name="sha"/> (40 hex digits or an abbreviation) names in the clone, or null when the clone lacks it.</summary>
    string? Resolve(string sha);

    /// <summary>The diff of a commit <see cref="Resolve"/> found; an unreadable object throws <see cref="FixDiffException"/> naming it.</summary>
    FixDiff Read(string commit);
}

/// <summary>A fix commit the clone names but cannot read (a corrupt or missing object).</summary>
public sealed class FixDiffException(string message, Exception? inner = null) : Exception(message, inner);
