using System.Text.RegularExpressions;

namespace Oxidation.CHeaders;

/// <summary>A patch could not be read as a unified diff: empty, no file headers, a hunk that does not add up.</summary>
public sealed class PatchException(string message) : Exception(message);

/// <summary>One file of a diff: its old and new paths (without <c>a/</c>, <c>b/</c>), whether it is created or deleted,
/// and the old file's lines the hunks remove, or insert between (both neighbours are touched).</summary>
public sealed record DiffFile(string OldPath, string NewPath, bool IsNew, bool IsDeleted, IReadOnlySet<int> TouchedOldLines)
{
    /// <summary>The old file's lines the hunks show (context and removed), by line number: what the patch says the file holds.</summary>
    public IReadOnlyDictionary<int, string> OldLines { get; init; } = new Dictionary<int, string>();
}

/// <summary>A parsed unified diff (<c>git diff</c>, <c>git format-patch</c>, <c>diff -u</c>) and what it held that is not a
/// text change of an existing file: binary hunks, renames, mode changes.</summary>
public sealed record UnifiedDiff(IReadOnlyList<DiffFile> Files, IReadOnlyList<ImpactProblem> Problems);

/// <summary>Reads unified diffs. Pure.</summary>
public static partial class UnifiedDiffParser
{
    [GeneratedRegex(@"^@@ -(?<old>\d+)(?:,(?<oldn>\d+))? \+(?<new>\d+)(?:,(?<newn>\d+))? @@")]
    private static partial Regex HunkHeader();

    /// <summary>Parses <paramref name="text"/>; <paramref name="name"/> names it in errors. Throws <see cref="PatchException"/>.</summary>
    public static UnifiedDiff Parse(string text, string name)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new PatchException($"{name}: empty patch");
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var files = new List<DiffFile>();
        var problems = new List<ImpactProblem>();
        string? gitOld = null, gitNew = null, oldPath = null;
        bool isNew = false, isDeleted = false, headerSeen = false;
        HashSet<int>? touched = null;
        Dictionary<int, string>? oldLines = null;
        void Flush()
        {
            if (touched is not null && oldPath is not null)
                files.Add(new DiffFile(oldPath, gitNew ?? oldPath, isNew, isDeleted, touched) { OldLines = oldLines ?? [] });
            touched = null;
            oldLines = null;
            oldPath = null;
        }
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("diff --git ", StringComparison.Ordinal))
            {
                Flush();
                headerSeen = true;
                (gitOld, gitNew) = GitPaths(line[11..]);
                isNew = isDeleted = false;
            }
            else if (line.StartsWith("rename from ", StringComparison.Ordinal) || line.StartsWith("copy from ", StringComparison.Ordinal))
            {
                var to = i + 1 < lines.Length && (lines[i + 1].StartsWith("rename to ", StringComparison.Ordinal) || lines[i + 1].StartsWith("copy to ", StringComparison.Ordinal))
                    ? lines[i + 1][(lines[i + 1].IndexOf(" to ", StringComparison.Ordinal) + 4)..] : "?";
                var from = line[(line.IndexOf(" from ", StringComparison.Ordinal) + 6)..];
                problems.Add(new ImpactProblem(from, line.StartsWith('r') ? $"renamed to {to}: every #include of {from} breaks; the declarations it holds are not listed one by one" : $"copied to {to}"));
            }
            else if (line.StartsWith("old mode ", StringComparison.Ordinal) || line.StartsWith("new mode ", StringComparison.Ordinal))
            {
                if (line.StartsWith("old mode ", StringComparison.Ordinal))
                    problems.Add(new ImpactProblem(gitOld ?? "?", "mode change only (no declaration touched)"));
            }
            else if (line.StartsWith("new file mode", StringComparison.Ordinal))
            {
                isNew = true;
            }
            else if (line.StartsWith("deleted file mode", StringComparison.Ordinal))
            {
                isDeleted = true;
            }
            else if (line.StartsWith("Binary files ", StringComparison.Ordinal) || line == "GIT binary patch")
            {
                problems.Add(new ImpactProblem(gitOld ?? "?", "binary change: not read"));
            }
            else if (line.StartsWith("--- ", StringComparison.Ordinal) && i + 1 < lines.Length && lines[i + 1].StartsWith("+++ ", StringComparison.Ordinal))
            {
                Flush();
                headerSeen = true;
                var from = StripPrefix(line[4..]);
                var to = StripPrefix(lines[i + 1][4..]);
                if (from == "/dev/null")
                    isNew = true;
                if (to == "/dev/null")
                    isDeleted = true;
                oldPath = from == "/dev/null" ? to : from;
                gitNew = to == "/dev/null" ? from : to;
                touched = [];
                oldLines = [];
                i++;
            }
            else if (line.StartsWith("@@", StringComparison.Ordinal))
            {
                if (touched is null)
                    throw new PatchException($"{name}:{i + 1}: hunk before any ---/+++ file header");
                var m = HunkHeader().Match(line);
                if (!m.Success)
                    throw new PatchException($"{name}:{i + 1}: malformed hunk header: {line}");
                var old = int.Parse(m.Groups["old"].Value, System.Globalization.CultureInfo.InvariantCulture);
                var oldCount = m.Groups["oldn"].Success ? int.Parse(m.Groups["oldn"].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
                var newCount = m.Groups["newn"].Success ? int.Parse(m.Groups["newn"].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
                // An empty old range (-N,0) inserts after line N.
                var at = oldCount == 0 ? old + 1 : old;
                int seenOld = 0, seenNew = 0, hunkLine = i + 1;
                var replacing = false; // '+' lines after '-' lines replace them: only the removed lines are touched
                while (seenOld < oldCount || seenNew < newCount)
                {
                    if (++i >= lines.Length)
                        throw new PatchException($"{name}:{hunkLine}: hunk ends early (the patch is cut short)");
                    var h = lines[i];
                    if (h.StartsWith('\\'))
                        continue;
                    var c = h.Length == 0 ? ' ' : h[0];
                    switch (c)
                    {
                        case ' ':
                            oldLines![at] = h.Length == 0 ? "" : h[1..];
                            replacing = false;
                            at++;
                            seenOld++;
                            seenNew++;
                            break;
                        case '-':
                            oldLines![at] = h[1..];
                            touched.Add(at);
                            replacing = true;
                            at++;
                            seenOld++;
                            break;
                        case '+':
                            if (!replacing)
                            {
                                touched.Add(at - 1);
                                touched.Add(at);
                            }

                            seenNew++;
                            break;
                        default:
                            throw new PatchException($"{name}:{i + 1}: line in a hunk starts with neither ' ', '-' nor '+'");
                    }
                }
                touched.Remove(0);
            }
        }
        Flush();
        if (!headerSeen)
            throw new PatchException($"{name}: not a unified diff (no 'diff --git' or '---'/'+++' file header)");
        return new UnifiedDiff(files, problems);
    }

    private static string StripPrefix(string path)
    {
        var tab = path.IndexOf('\t');
        if (tab >= 0)
            path = path[..tab];
        path = path.Trim();
        return path.StartsWith("a/", StringComparison.Ordinal) || path.StartsWith("b/", StringComparison.Ordinal) ? path[2..] : path;
    }

    private static (string?, string?) GitPaths(string rest)
    {
        var split = rest.IndexOf(" b/", StringComparison.Ordinal);
        return split < 0 ? (null, null) : (StripPrefix(rest[..split]), StripPrefix(rest[(split + 1)..]));
    }
}
