using System.Text;

namespace Oxidation.Rust;

/// <summary>
/// Code examples in doc comments (rustdoc "doc-tests"). They are compiled by <c>make rusttest</c>
/// and kunit, not into the kernel, so their unsafe sites are counted apart from the kernel's own.
/// </summary>
public static class DocTests
{
    /// <summary>The text lines of a doc comment with its markers removed.</summary>
    public static IEnumerable<string> DocLines(ReadOnlySpan<byte> comment)
    {
        var text = Encoding.UTF8.GetString(comment);
        if (text.StartsWith("///", StringComparison.Ordinal) || text.StartsWith("//!", StringComparison.Ordinal))
            return [StripOneSpace(text[3..])];
        if (text.StartsWith("/*", StringComparison.Ordinal))
        {
            var body = text[3..^Math.Min(2, text.Length - 3)];
            return body.Split('\n').Select(l =>
            {
                var t = l.TrimEnd('\r').TrimStart();
                if (t.StartsWith('*'))
                    t = t[1..];
                return StripOneSpace(t);
            });
        }
        return [text];
    }

    private static string StripOneSpace(string s) => s.StartsWith(' ') ? s[1..] : s;

    /// <summary>
    /// The Rust code examples of a file's doc comments, each as its code and the source line of every
    /// code line. Hidden lines (<c># </c>) are part of the code, as rustdoc compiles them.
    /// </summary>
    public static List<(string Code, int[] Lines)> Extract(ReadOnlySpan<byte> source, List<RustToken> tokens, RustKnowledge knowledge)
    {
        var examples = new List<(string, int[])>();
        var code = new StringBuilder();
        var lines = new List<int>();
        var inFence = false;
        var isRust = false;
        var previousDocIndex = -2;
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Doc == DocKind.None)
                continue;
            if (previousDocIndex != i - 1 && inFence)
            {
                Close();
                inFence = false;
            }
            previousDocIndex = i;
            var lineNumber = t.Line;
            foreach (var line in DocLines(t.Text(source)))
            {
                var trimmed = line.Trim();
                if (trimmed.StartsWith("```", StringComparison.Ordinal))
                {
                    if (inFence)
                    {
                        Close();
                        inFence = false;
                    }
                    else
                    {
                        inFence = true;
                        var info = trimmed[3..].Split([',', ' '], StringSplitOptions.RemoveEmptyEntries);
                        isRust = info.Length == 0 || !info.Any(knowledge.NonRustFences.Contains);
                    }
                }
                else if (inFence && isRust)
                {
                    var codeLine = line;
                    if (trimmed == "#")
                        codeLine = "";
                    else if (line.TrimStart().StartsWith("# ", StringComparison.Ordinal))
                        codeLine = line.TrimStart()[2..];
                    code.Append(codeLine).Append('\n');
                    lines.Add(lineNumber);
                }
                lineNumber++;
            }
        }
        if (inFence)
            Close();
        return examples;

        void Close()
        {
            if (isRust && lines.Count > 0)
                examples.Add((code.ToString(), [.. lines]));
            code.Clear();
            lines.Clear();
        }
    }

    /// <summary>Audits the unsafe sites of every doc-test in a file, with lines mapped back to the file.</summary>
    public static List<UnsafeSite> Audit(ReadOnlySpan<byte> source, List<RustToken> tokens, RustKnowledge knowledge)
    {
        var sites = new List<UnsafeSite>();
        foreach (var (code, lines) in Extract(source, tokens, knowledge))
        {
            var bytes = Encoding.UTF8.GetBytes(code);
            foreach (var site in UnsafeAudit.Audit(bytes, RustLexer.Tokenize(bytes), knowledge, docTest: true))
                sites.Add(site with { Line = lines[Math.Clamp(site.Line - 1, 0, lines.Length - 1)] });
        }
        return sites;
    }
}
