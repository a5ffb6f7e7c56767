namespace Oxidation.Counting;

/// <summary>
/// Lines of one file or of many, split the way cloc splits them: a line is blank when it holds only
/// white space, code when anything outside a comment is on it, comment otherwise.
/// Totals are derived, never stored, so stats add without drifting.
/// </summary>
public readonly record struct LineStats(long Code, long Comment, long Blank)
{
    /// <summary>All lines.</summary>
    public long Lines => Code + Comment + Blank;

    /// <summary>Adds two sets of counts.</summary>
    public static LineStats operator +(LineStats a, LineStats b) =>
        new(a.Code + b.Code, a.Comment + b.Comment, a.Blank + b.Blank);

    /// <summary>Same as <c>+</c>, for languages without operators.</summary>
    public static LineStats Add(LineStats a, LineStats b) => a + b;
}

/// <summary>Line counts together with the number of files they came from.</summary>
public readonly record struct FileStats(long Files, LineStats Lines)
{
    /// <summary>One file with its line counts.</summary>
    public static FileStats One(LineStats lines) => new(1, lines);

    /// <summary>Adds two sets of counts.</summary>
    public static FileStats operator +(FileStats a, FileStats b) => new(a.Files + b.Files, a.Lines + b.Lines);

    /// <summary>Same as <c>+</c>, for languages without operators.</summary>
    public static FileStats Add(FileStats a, FileStats b) => a + b;
}
