namespace Oxidation.Tree;

/// <summary>
/// One regular file of a tree as handed to the scanner: its path relative to the tree's root
/// (always with <c>/</c>), its bytes in a buffer that is only valid during the callback, and its content id when the
/// tree has one (a git tree: the blob id), so a caller can recognise a file it has seen before without hashing it.
/// </summary>
public readonly ref struct SourceFile(string path, ReadOnlySpan<byte> content, string? contentId = null)
{
    /// <summary>Path relative to the tree root, <c>/</c>-separated, e.g. <c>rust/kernel/lib.rs</c>.</summary>
    public string Path { get; } = path;

    /// <summary>The file's bytes; do not keep a reference past the callback.</summary>
    public ReadOnlySpan<byte> Content { get; } = content;

    /// <summary>The git blob id (40 hex digits) of a file read from git objects; null for a directory or tarball.</summary>
    public string? ContentId { get; } = contentId;
}

/// <summary>Receives what a tree reader finds. Called from several threads at once.</summary>
public interface ISourceFileSink
{
    /// <summary>A regular file and its bytes.</summary>
    void File(SourceFile file);

    /// <summary>Before reading a file with a content id: true when the sink already knows that content under that name and
    /// took the file from what it knows, so the tree need not read it (<see cref="File"/> is then not called for it).</summary>
    bool TryReuse(string path, string contentId) => false;

    /// <summary>Before any file of a tree with content ids is read or reused: every file it will hand over, with its
    /// content id, so the sink can fetch what it knows of them at once (from a database) rather than file by file.</summary>
    void Listed(IReadOnlyList<(string Path, string ContentId)> files)
    {
    }

    /// <summary>A file that could not be read or was left out, with the reason.</summary>
    void Problem(string path, string reason);

    /// <summary>A path that turned out not to be one file (a tar member given twice): none of its copies counts.
    /// <paramref name="delivered"/> is the size of the copy already handed to <see cref="File"/>, null when none was;
    /// a sink that cannot take a file back lists the problem and keeps that copy.</summary>
    void Withdraw(string path, long? delivered, string reason) => Problem(path, reason);

    /// <summary>A symbolic or hard link, which is not followed.</summary>
    void Link(string path);

    /// <summary>Progress: bytes of input consumed so far out of <paramref name="total"/> (0 when unknown).</summary>
    void Progress(long files, long bytes, long total);
}

/// <summary>A kernel source tree to read: a directory, a tarball, or a git tree (<c>Oxidation.Git.GitSourceTree</c>).</summary>
public interface ISourceTree
{
    /// <summary>What the user named, for messages and the <c>source</c> field.</summary>
    string Description { get; }

    /// <summary>The day the tree is from when the source records it: a git commit's committer date (UTC). A directory
    /// or a tarball says nothing reliable (Debian's tarballs carry the packaging date), so null.</summary>
    DateOnly? Date => null;

    /// <summary>Reads every regular file once and hands it to <paramref name="sink"/>, using up to
    /// <paramref name="parallelism"/> threads. Throws <see cref="SourceTreeException"/> when the tree
    /// as a whole cannot be read.</summary>
    void ReadAll(ISourceFileSink sink, int parallelism, CancellationToken cancellationToken);
}

/// <summary>The tree as a whole cannot be read: a corrupt archive, a missing path.</summary>
public sealed class SourceTreeException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Opens the right <see cref="ISourceTree"/> for a path.</summary>
public static class SourceTrees
{
    /// <summary>The largest file that is counted, as cloc's default <c>--max-file-size</c> (100 MB).</summary>
    public const long MaxFileSize = 100L * 1024 * 1024;

    /// <summary>A directory, or a <c>.tar</c>, <c>.tar.gz</c>/<c>.tgz</c> or <c>.tar.xz</c> file; <paramref name="include"/>
    /// keeps only the relative paths it accepts.</summary>
    public static ISourceTree Open(string path, Func<string, bool>? include = null, bool stripTopDirectory = true)
    {
        if (Directory.Exists(path))
            return new DirectoryTree(path, include);
        if (File.Exists(path))
            return new TarballTree(path, include, stripTopDirectory);
        throw new SourceTreeException($"{path}: no such file or directory");
    }
}
