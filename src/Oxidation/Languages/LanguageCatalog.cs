using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Oxidation.Languages;

/// <summary>
/// The languages Oxidation recognises, read once from the embedded <c>data/languages.json</c>,
/// and the lookup from a file name (and, for files without a known extension, its <c>#!</c> line)
/// to a language.
/// </summary>
public sealed class LanguageCatalog
{
    private readonly FrozenDictionary<string, Language> _byExtension;
    private readonly FrozenDictionary<string, Language> _byFileName;
    private readonly (string Prefix, Language Language)[] _byPrefix;
    private readonly FrozenDictionary<string, Language> _byInterpreter;

    private LanguageCatalog(IReadOnlyList<Language> languages, Dictionary<string, Language> byExtension,
        Dictionary<string, Language> byFileName, List<(string, Language)> byPrefix, Dictionary<string, Language> byInterpreter)
    {
        Languages = languages;
        _byExtension = byExtension.ToFrozenDictionary(StringComparer.Ordinal);
        _byFileName = byFileName.ToFrozenDictionary(StringComparer.Ordinal);
        _byPrefix = [.. byPrefix];
        _byInterpreter = byInterpreter.ToFrozenDictionary(StringComparer.Ordinal);
        Other = new Language("Other", LanguageKind.Other);
        Rust = Languages.Single(l => l.Lexer == "rust");
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The catalog built from the shipped data file.</summary>
    public static LanguageCatalog Default { get; } = Load();

    /// <summary>Every defined language, in the data file's order.</summary>
    public IReadOnlyList<Language> Languages { get; }

    /// <summary>The language given to files no definition claims.</summary>
    public Language Other { get; }

    /// <summary>The Rust language.</summary>
    public Language Rust { get; }

    /// <summary>Finds a language by its name.</summary>
    public Language? ByName(string name) => Languages.FirstOrDefault(l => l.Name == name);

    /// <summary>
    /// The language of a file from its name; <paramref name="content"/> is consulted only when the name
    /// says nothing, for a <c>#!</c> interpreter line.
    /// </summary>
    public Language Classify(ReadOnlySpan<char> fileName, ReadOnlySpan<byte> content)
    {
        if (_byFileName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(fileName, out var byName))
            return byName;
        foreach (var (prefix, language) in _byPrefix)
        {
            if (fileName.StartsWith(prefix, StringComparison.Ordinal))
                return language;
        }
        var dot = fileName.LastIndexOf('.');
        if (dot > 0 && dot < fileName.Length - 1)
        {
            var ext = fileName[(dot + 1)..];
            var lookup = _byExtension.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(ext, out var byExt))
                return byExt;
            Span<char> lower = stackalloc char[Math.Min(ext.Length, 64)];
            if (ext.Length <= 64 && ext.ToLowerInvariant(lower) == ext.Length && lookup.TryGetValue(lower, out byExt))
                return byExt;
            return Other;
        }
        return Interpreter(content) is { } interpreter && _byInterpreter.TryGetValue(interpreter, out var byShebang)
            ? byShebang
            : Other;
    }

    /// <summary>The interpreter named by a <c>#!</c> line: <c>#!/bin/sh</c> gives <c>sh</c>,
    /// <c>#!/usr/bin/env python3</c> gives <c>python3</c>.</summary>
    internal static string? Interpreter(ReadOnlySpan<byte> content)
    {
        if (content.Length < 3 || content[0] != '#' || content[1] != '!')
            return null;
        var end = content.IndexOf((byte)'\n');
        var line = System.Text.Encoding.UTF8.GetString(end < 0 ? content[2..] : content[2..end]).Trim();
        var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
            return null;
        var program = Path.GetFileName(words[0]);
        if (program == "env")
            program = words.Skip(1).FirstOrDefault(w => !w.StartsWith('-')) ?? "";
        return program.Length == 0 ? null : program;
    }

    private static LanguageCatalog Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("languages.json")
            ?? throw new InvalidOperationException("languages.json is not embedded");
        return Parse(stream);
    }

    /// <summary>Builds a catalog from a languages file; throws <see cref="InvalidDataException"/> naming the problem.</summary>
    public static LanguageCatalog Parse(Stream json)
    {
        var file = JsonSerializer.Deserialize<LanguagesFile>(json, JsonOptions)
            ?? throw new InvalidDataException("languages.json: empty");
        var languages = new List<Language>();
        var byExtension = new Dictionary<string, Language>(StringComparer.Ordinal);
        var byFileName = new Dictionary<string, Language>(StringComparer.Ordinal);
        var byPrefix = new List<(string, Language)>();
        var byInterpreter = new Dictionary<string, Language>(StringComparer.Ordinal);
        foreach (var dto in file.Languages)
        {
            if (!Enum.TryParse<LanguageKind>(dto.Kind, ignoreCase: true, out var kind))
                throw new InvalidDataException($"languages.json: {dto.Name}: unknown kind '{dto.Kind}'");
            var language = new Language(dto.Name, kind)
            {
                LineComments = [.. dto.LineComments.Select(Language.Utf8)],
                LineStartComments = [.. dto.LineStartComments.Select(Language.Utf8)],
                AfterLineStartComments = [.. dto.AfterLineStartComments.Select(Language.Utf8)],
                Column0Comments = [.. dto.Column0Comments.Select(Language.Utf8)],
                BlockComments = [.. dto.BlockComments.Select(pair => pair.Length == 2
                    ? (Language.Utf8(pair[0]), Language.Utf8(pair[1]))
                    : throw new InvalidDataException($"languages.json: {dto.Name}: a block comment needs an opening and a closing marker"))],
                Quotes = [.. dto.Quotes.Select(q => q.Length == 1 ? (byte)q[0] : throw new InvalidDataException($"languages.json: {dto.Name}: quote '{q}' is not one character"))],
                EolContinuation = dto.EolContinuation,
                Lexer = dto.Lexer,
            };
            languages.Add(language);
            Register(byExtension, dto.Extensions, language, "extension");
            Register(byFileName, dto.Filenames, language, "file name");
            Register(byInterpreter, dto.Shebangs, language, "interpreter");
            byPrefix.AddRange(dto.Prefixes.Select(p => (p, language)));
        }
        return new LanguageCatalog(languages, byExtension, byFileName, byPrefix, byInterpreter);
    }

    private static void Register(Dictionary<string, Language> map, IEnumerable<string> keys, Language language, string what)
    {
        foreach (var key in keys)
        {
            if (!map.TryAdd(key, language))
                throw new InvalidDataException($"languages.json: {what} '{key}' is claimed by both {map[key].Name} and {language.Name}");
        }
    }

    private sealed class LanguagesFile
    {
        [JsonPropertyName("$comment")]
        public string? Comment { get; set; }

        public List<LanguageDto> Languages { get; set; } = [];
    }

    private sealed class LanguageDto
    {
        public string Name { get; set; } = "";
        public string Kind { get; set; } = "";
        public List<string> Extensions { get; set; } = [];
        public List<string> Filenames { get; set; } = [];
        public List<string> Prefixes { get; set; } = [];
        public List<string> Shebangs { get; set; } = [];
        public List<string> LineComments { get; set; } = [];
        public List<string> LineStartComments { get; set; } = [];
        public List<string> AfterLineStartComments { get; set; } = [];
        public List<string> Column0Comments { get; set; } = [];
        public List<string[]> BlockComments { get; set; } = [];
        public List<string> Quotes { get; set; } = [];
        public bool EolContinuation { get; set; }
        public string? Lexer { get; set; }
    }
}
