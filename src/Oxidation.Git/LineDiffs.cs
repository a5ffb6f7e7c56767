using DiffPlex;

namespace Oxidation.Git;

/// <summary>The one line diff of the git project: the history's line counts and the CVE fix diffs both use it.</summary>
internal static class LineDiffs
{
    /// <summary>
    /// A line diff where each line keeps its newline, as git compares them: a last line without one differs from the
    /// same line with one, and an empty file has no lines (a minimal line diff, Myers' algorithm).
    /// </summary>
    public static DiffPlex.Model.DiffResult Of(string before, string after) =>
        Differ.Instance.CreateCustomDiffs(before, after, ignoreWhiteSpace: false, Lines);

    private static string[] Lines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            end = end < 0 ? text.Length : end + 1;
            lines.Add(text[start..end]);
            start = end;
        }
        return [.. lines];
    }
}
