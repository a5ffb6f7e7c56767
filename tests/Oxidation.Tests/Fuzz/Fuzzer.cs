using System.Diagnostics;
using System.Text;
using CsCheck;

namespace Oxidation.Tests.Fuzz;

/// <summary>
/// Inputs for fuzzing the parsers, and a deterministic runner. Three kinds of input: random bytes biased towards the
/// characters that drive a format, a soup of the format's own tokens, and mutations of a real input (cut, delete,
/// duplicate, swap lines and tokens, insert hostile bytes, repeat a piece thousands of times), which keep enough
/// of the shape to reach the deep paths. Shared by Oxidation.Tests and Oxidation.Reports.Tests (linked file).
/// </summary>
public static class Fuzzer
{
    /// <summary>The seed of every run: CI sees the same inputs each time. Change it locally to explore.</summary>
    public const ulong Seed = 20261202;

    /// <summary>
    /// A case slower than this is a finding: a regex blow-up or a quadratic loop, which take minutes on these inputs.
    /// Not a speed target (those are benchmarks): generous, because CI runs the test projects side by side on two
    /// cores, where a case that takes 0.3 s alone took over 2 s.
    /// </summary>
    public static readonly TimeSpan SlowCase = TimeSpan.FromSeconds(20);

    /// <summary>Byte strings that break parsers: unbalanced brackets and quotes, odd numbers, NUL, invalid UTF-8.</summary>
    public static readonly byte[][] Hostile =
    [
        "\0"u8.ToArray(), [0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xEF, 0xBB, 0xBF],
        "\""u8.ToArray(), "'"u8.ToArray(), "`"u8.ToArray(), "\\"u8.ToArray(), "\\\n"u8.ToArray(),
        "["u8.ToArray(), "]"u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(), "("u8.ToArray(), ")"u8.ToArray(),
        "$("u8.ToArray(), "${"u8.ToArray(), "*"u8.ToArray(), "**"u8.ToArray(), "?"u8.ToArray(), "/"u8.ToArray(),
        "#"u8.ToArray(), ":"u8.ToArray(), "- "u8.ToArray(), ","u8.ToArray(), "&"u8.ToArray(), "!"u8.ToArray(),
        "\n"u8.ToArray(), "\r"u8.ToArray(), "\r\n"u8.ToArray(), "\t"u8.ToArray(), " "u8.ToArray(), "\f\v"u8.ToArray(),
        "99999999999999999999999999999"u8.ToArray(), "-2147483649"u8.ToArray(), "1e400"u8.ToArray(), "-1e400"u8.ToArray(),
        "NaN"u8.ToArray(), "-0"u8.ToArray(), "0x"u8.ToArray(), ".inf"u8.ToArray(), "null"u8.ToArray(), "~"u8.ToArray(),
        "&a"u8.ToArray(), "*a"u8.ToArray(), "!!binary"u8.ToArray(), "%YAML 1.2\n"u8.ToArray(), "---\n"u8.ToArray(), "...\n"u8.ToArray(),
        "(?<"u8.ToArray(), "\\1"u8.ToArray(), "(a+)+"u8.ToArray(), "[^"u8.ToArray(), "\\u0000"u8.ToArray(), "\\ud800"u8.ToArray(),
    ];

    /// <summary>Random bytes, half of them drawn from <paramref name="special"/> (the characters the format's parser reacts to).</summary>
    public static Gen<byte[]> RandomBytes(string special, int maxLength = 600)
    {
        var chosen = Encoding.UTF8.GetBytes(special);
        return Gen.OneOf(Gen.Byte, Gen.Int[0, chosen.Length - 1].Select(i => chosen[i])).Array[0, maxLength];
    }

    /// <summary>Tokens of the format (its keywords, the seed's own words, hostile pieces) joined by random separators.</summary>
    public static Gen<byte[]> TokenSoup(byte[] seedInput, params string[] keywords)
    {
        var vocabulary = Tokens(seedInput).Select(t => t.ToArray()).Concat(keywords.Select(Encoding.UTF8.GetBytes)).Concat(Hostile).Distinct(ByteArrayComparer.Instance).ToArray();
        byte[][] separators = [" "u8.ToArray(), "\n"u8.ToArray(), "\t"u8.ToArray(), [], "\n\t"u8.ToArray(), "\n  "u8.ToArray(), "\n\n"u8.ToArray()];
        return Gen.Select(Gen.Int[0, vocabulary.Length - 1], Gen.Int[0, separators.Length - 1]).Array[0, 120]
            .Select(picks => picks.SelectMany(p => vocabulary[p.Item1].Concat(separators[p.Item2])).ToArray());
    }

    /// <summary>A real input changed by one to eight mutations.</summary>
    public static Gen<byte[]> Mutations(byte[] seedInput) =>
        Gen.Select(Gen.Int[0, OperationCount - 1], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue]).Array[1, 8]
            .Select(ops =>
            {
                var bytes = seedInput;
                foreach (var (op, a, b, c) in ops)
                    bytes = Mutate(bytes, op, a, b, c);
                return bytes;
            });

    /// <summary>The three kinds of input together, mutations of the real input most often.</summary>
    public static Gen<byte[]> Inputs(byte[] seedInput, string special, params string[] keywords) =>
        Gen.Frequency((1, RandomBytes(special)), (1, TokenSoup(seedInput, keywords)), (3, Mutations(seedInput)));

    /// <summary>
    /// Runs <paramref name="property"/> on <paramref name="iterations"/> inputs drawn from one fixed seed. A case that throws
    /// or takes longer than <see cref="SlowCase"/> fails the run; a throwing case is then shrunk by CsCheck from its seed
    /// so the message shows a small input.
    /// </summary>
    public static void Run(Gen<byte[]> gen, Action<byte[]> property, int iterations, ulong seed = Seed)
    {
        var pcg = new PCG(1, seed);
        for (var i = 0; i < iterations; i++)
        {
            var caseSeed = pcg.ToString(pcg.State);
            var input = gen.Generate(pcg, null, out _);
            var clock = Stopwatch.StartNew();
            try
            {
                property(input);
            }
            catch (Exception ex)
            {
                Dump(caseSeed, input);
                throw new FuzzFailureException($"case {i} (seed \"{caseSeed}\") threw {ex.GetType().Name}: {ex.Message}\ninput: {Show(input)}\nsmallest found: {Shrink(gen, property, caseSeed)}", ex);
            }
            if (clock.Elapsed > SlowCase && Dump(caseSeed, input))
                throw new FuzzFailureException($"case {i} (seed \"{caseSeed}\") took {clock.Elapsed.TotalSeconds:0.0} s\ninput: {Show(input)}");
        }
    }

    /// <summary>
    /// Runs <paramref name="property"/> once; returns a finding when it throws or takes longer than <see cref="SlowCase"/>
    /// (it is then left running, and the test fails), else null.
    /// </summary>
    public static async Task<string?> TimedAsync(string what, Action property)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await Task.Run(property).WaitAsync(SlowCase);
            return null;
        }
        catch (TimeoutException)
        {
            return $"{what} took more than {SlowCase.TotalSeconds:0} s";
        }
        catch (Exception ex)
        {
            return $"{what} threw {ex.GetType().Name}: {ex.Message}";
        }
    }

    /// <summary>An input for the failure message: its length and its first bytes with the unprintable ones escaped.</summary>
    public static string Show(byte[] input)
    {
        var sb = new StringBuilder($"{input.Length} bytes \"");
        foreach (var b in input.Take(400))
        {
            sb.Append(b switch
            {
                (byte)'\n' => "\\n",
                (byte)'\r' => "\\r",
                (byte)'\t' => "\\t",
                (byte)'"' => "\\\"",
                (byte)'\\' => "\\\\",
                >= 0x20 and < 0x7F => ((char)b).ToString(),
                _ => $"\\x{b:X2}",
            });
        }
        return sb.Append(input.Length > 400 ? "\"…" : "\"").ToString();
    }

    /// <summary>With OXIDATION_FUZZ_DUMP=DIR, a failing input is written to DIR/SEED.bin for reducing it by hand.</summary>
    private static bool Dump(string caseSeed, byte[] input)
    {
        if (Environment.GetEnvironmentVariable("OXIDATION_FUZZ_DUMP") is { Length: > 0 } directory)
            File.WriteAllBytes(Path.Combine(directory, caseSeed + ".bin"), input);
        return true;
    }

    private static string Shrink(Gen<byte[]> gen, Action<byte[]> property, string caseSeed)
    {
        try
        {
            gen.Sample(property, seed: caseSeed, iter: 3000, threads: 1, print: Show);
            return "(not reproduced)";
        }
        catch (Exception ex)
        {
            return ex.Message;
        }
    }

    private const int OperationCount = 13;

    private static byte[] Mutate(byte[] input, int op, int a, int b, int c)
    {
        var bytes = new List<byte>(input);
        var at = a % (bytes.Count + 1);
        switch (op)
        {
            case 0: // cut
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 1: // delete a range
                bytes.RemoveRange(at, Math.Min(b % 64, bytes.Count - at));
                break;
            case 2: // duplicate a range elsewhere
                {
                    var piece = bytes.Skip(at).Take(b % 256).ToArray();
                    bytes.InsertRange(c % (bytes.Count + 1), piece);
                    break;
                }
            case 3: // insert a hostile piece
                bytes.InsertRange(at, Hostile[b % Hostile.Length]);
                break;
            case 4: // insert random bytes
                {
                    var random = new Random(b);
                    var piece = new byte[1 + c % 16];
                    random.NextBytes(piece);
                    bytes.InsertRange(at, piece);
                    break;
                }
            case 5: // flip a bit
                if (bytes.Count > 0)
                    bytes[a % bytes.Count] ^= (byte)(1 << (b % 8));
                break;
            case 6: // repeat a short piece many times: deep nesting, long lines, many lines
                {
                    var piece = b % 2 == 0 ? Hostile[b / 2 % Hostile.Length] : bytes.Skip(at).Take(1 + b % 24).ToArray();
                    var times = c % 5 == 0 ? 20_000 : 1 + c % 300;
                    var repeated = new byte[piece.Length * times];
                    for (var k = 0; k < times; k++)
                        piece.CopyTo(repeated, k * piece.Length);
                    bytes.InsertRange(at, repeated);
                    break;
                }
            default:
                return MutateLines(input, op, a, b, c);
        }
        return [.. bytes];
    }

    private static byte[] MutateLines(byte[] input, int op, int a, int b, int c)
    {
        var lines = Split(input, (byte)'\n');
        var i = a % lines.Count;
        var j = b % lines.Count;
        switch (op)
        {
            case 7: // delete a line
                lines.RemoveAt(i);
                break;
            case 8: // duplicate a line
                for (var k = 0; k <= c % 3; k++)
                    lines.Insert(i, lines[i]);
                break;
            case 9: // swap two lines
                (lines[i], lines[j]) = (lines[j], lines[i]);
                break;
            case 10: // move a line's indentation: remove it, or add a tab or spaces
                {
                    var text = lines[i].AsSpan();
                    var body = text.TrimStart(" \t"u8).ToArray();
                    lines[i] = (c % 3) switch { 0 => body, 1 => [(byte)'\t', .. text], _ => [.. "    "u8, .. text] };
                    break;
                }
            case 11: // swap two tokens
                {
                    var tokens = Tokens(input);
                    if (tokens.Count < 2)
                        break;
                    var x = tokens[i % tokens.Count];
                    var y = tokens[j % tokens.Count];
                    var marked = Replace(input, x.ToArray(), [0x01], c);
                    return Replace(Replace(marked, y.ToArray(), x.ToArray(), c), [0x01], y.ToArray(), 0);
                }
            default: // replace a token by a hostile piece
                {
                    var tokens = Tokens(input);
                    if (tokens.Count == 0)
                        break;
                    return Replace(input, tokens[i % tokens.Count].ToArray(), Hostile[c % Hostile.Length], b);
                }
        }
        return Join(lines, (byte)'\n');
    }

    /// <summary>Replaces the (<paramref name="nth"/> modulo count)-th occurrence of <paramref name="what"/>.</summary>
    private static byte[] Replace(byte[] input, byte[] what, byte[] with, int nth)
    {
        var positions = new List<int>();
        for (var k = input.AsSpan().IndexOf(what); k >= 0 && what.Length > 0;)
        {
            positions.Add(k);
            var next = input.AsSpan(k + what.Length).IndexOf(what);
            k = next < 0 ? -1 : k + what.Length + next;
        }
        if (positions.Count == 0)
            return input;
        var at = positions[nth % positions.Count];
        return [.. input.AsSpan(0, at), .. with, .. input.AsSpan(at + what.Length)];
    }

    /// <summary>Runs of letters, digits and <c>_</c>, and single punctuation bytes.</summary>
    private static List<ReadOnlyMemory<byte>> Tokens(byte[] input)
    {
        var tokens = new List<ReadOnlyMemory<byte>>();
        var k = 0;
        while (k < input.Length)
        {
            var start = k;
            if (IsWord(input[k]))
            {
                while (k < input.Length && IsWord(input[k]))
                    k++;
            }
            else
            {
                k++;
                if (input[start] is (byte)' ' or (byte)'\n' or (byte)'\t' or (byte)'\r')
                    continue;
            }
            tokens.Add(input.AsMemory(start, k - start));
        }
        return tokens;
    }

    private static bool IsWord(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'_';

    private static List<byte[]> Split(byte[] input, byte separator)
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var k = 0; k <= input.Length; k++)
        {
            if (k == input.Length || input[k] == separator)
            {
                lines.Add(input[start..k]);
                start = k + 1;
            }
        }
        return lines;
    }

    private static byte[] Join(List<byte[]> lines, byte separator)
    {
        var result = new List<byte>();
        for (var k = 0; k < lines.Count; k++)
        {
            if (k > 0)
                result.Add(separator);
            result.AddRange(lines[k]);
        }
        return [.. result];
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj);
            return hash.ToHashCode();
        }
    }
}

/// <summary>A fuzz case that threw or was too slow; the message names its seed and shows the input.</summary>
public sealed class FuzzFailureException(string message, Exception? inner = null) : Exception(message, inner);
