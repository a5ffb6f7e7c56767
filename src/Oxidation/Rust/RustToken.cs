namespace Oxidation.Rust;

/// <summary>The kind of a Rust token as far as Oxidation needs to know it.</summary>
public enum TokenKind : byte
{
    /// <summary>An identifier or keyword, including raw identifiers (<c>r#type</c>).</summary>
    Ident,
    /// <summary>A lifetime or loop label (<c>'a</c>, <c>'static</c>).</summary>
    Lifetime,
    /// <summary>A string, character, byte, C-string or number literal.</summary>
    Literal,
    /// <summary>One punctuation byte; multi-byte operators arrive as several tokens.</summary>
    Punct,
    /// <summary>A <c>//</c> comment.</summary>
    LineComment,
    /// <summary>A <c>/* */</c> comment, nested ones included.</summary>
    BlockComment,
}

/// <summary>Whether a comment is documentation, and of what.</summary>
public enum DocKind : byte
{
    /// <summary>An ordinary comment.</summary>
    None,
    /// <summary><c>///</c> or <c>/** */</c>: documents the item that follows.</summary>
    Outer,
    /// <summary><c>//!</c> or <c>/*! */</c>: documents the enclosing item.</summary>
    Inner,
}

/// <summary>A token: where it is in the bytes, and the lines it spans (1-based).</summary>
public readonly record struct RustToken(TokenKind Kind, int Start, int Length, int Line, int EndLine, DocKind Doc = DocKind.None)
{
    /// <summary>Whether the token is a comment of either form.</summary>
    public bool IsComment => Kind is TokenKind.LineComment or TokenKind.BlockComment;

    /// <summary>The token's bytes within the source it came from.</summary>
    public ReadOnlySpan<byte> Text(ReadOnlySpan<byte> source) => source.Slice(Start, Length);

    /// <summary>Whether the token is the identifier or keyword <paramref name="word"/>.</summary>
    public bool Is(ReadOnlySpan<byte> source, ReadOnlySpan<byte> word) =>
        Kind == TokenKind.Ident && source.Slice(Start, Length).SequenceEqual(word);

    /// <summary>Whether the token is the punctuation byte <paramref name="c"/>.</summary>
    public bool IsPunct(ReadOnlySpan<byte> source, char c) =>
        Kind == TokenKind.Punct && source[Start] == (byte)c;
}
