using System.Text;

namespace Oxidation.Languages;

/// <summary>What a language is used for; shares of "code" are taken over programming languages only.</summary>
public enum LanguageKind
{
    /// <summary>Compiled or interpreted source.</summary>
    Programming,
    /// <summary>Build description: Makefiles, Kconfig, linker scripts.</summary>
    Build,
    /// <summary>Markup such as HTML or SVG.</summary>
    Markup,
    /// <summary>Data files such as JSON or YAML.</summary>
    Data,
    /// <summary>Prose: reStructuredText, Markdown, text.</summary>
    Documentation,
    /// <summary>Files no language definition claims.</summary>
    Other,
}

/// <summary>
/// One language: how files are recognised and how its comments look. Built from
/// <c>data/languages.json</c> by <see cref="LanguageCatalog"/>; markers are kept as UTF-8 bytes
/// because the counter works on bytes.
/// </summary>
public sealed class Language
{
    internal Language(string name, LanguageKind kind)
    {
        Name = name;
        Kind = kind;
    }

    /// <summary>The name, as cloc spells it.</summary>
    public string Name { get; }

    /// <summary>What the language is used for.</summary>
    public LanguageKind Kind { get; }

    /// <summary>Markers that start a comment running to the end of the line, anywhere on a line.</summary>
    public IReadOnlyList<byte[]> LineComments { get; init; } = [];

    /// <summary>Markers that make a whole line a comment when they are its first non-blank text
    /// (cloc's <c>remove_matches '^\s*#'</c>); recognised before block comments.</summary>
    public IReadOnlyList<byte[]> LineStartComments { get; init; } = [];

    /// <summary>Like <see cref="LineStartComments"/> but applied after block comments are removed.</summary>
    public IReadOnlyList<byte[]> AfterLineStartComments { get; init; } = [];

    /// <summary>Markers that make a line a comment only in the first column.</summary>
    public IReadOnlyList<byte[]> Column0Comments { get; init; } = [];

    /// <summary>Block comment delimiters.</summary>
    public IReadOnlyList<(byte[] Open, byte[] Close)> BlockComments { get; init; } = [];

    /// <summary>String and character delimiters, inside which comment markers are text.</summary>
    public IReadOnlyList<byte> Quotes { get; init; } = [];

    /// <summary>A blank line after a line ending in a backslash is not blank (cloc's EOL continuation).</summary>
    public bool EolContinuation { get; init; }

    /// <summary>A dedicated lexer instead of the table-driven counter (only <c>rust</c> today).</summary>
    public string? Lexer { get; init; }

    /// <summary>Whether this is the language for files no definition claims.</summary>
    public bool IsOther => Kind == LanguageKind.Other;

    /// <inheritdoc />
    public override string ToString() => Name;

    internal static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
