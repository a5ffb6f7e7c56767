using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Oxidation.Reports.Claims;

/// <summary>What a claim expects of its measured value: a set of numbers on the real line (an interval).</summary>
/// <remarks>
/// A measurement with bounds (a share with its lower and upper estimate) holds only when the whole range lies in
/// the expected set, fails when none of it does, and otherwise cannot tell.
/// </remarks>
public sealed record Expectation(string Text, double Low, bool LowInclusive, double High, bool HighInclusive)
{
    /// <summary>The forms a claims file may use, for messages and docs.</summary>
    public const string Forms = "true, false, {atLeast: N}, {atMost: N}, {greaterThan: N}, {lessThan: N}, {equals: N}, {between: [A, B]}";

    /// <summary>Whether <paramref name="value"/> is in the expected set.</summary>
    public bool Accepts(double value) =>
        (value > Low || (LowInclusive && value == Low)) && (value < High || (HighInclusive && value == High));

    /// <summary>The verdict for a value and its optional bounds.</summary>
    public Verdict Judge(double value, double? lower, double? upper)
    {
        var lo = lower ?? value;
        var hi = upper ?? value;
        if (Accepts(lo) && Accepts(hi) && Accepts(value))
            return Verdict.Holds;
        var entirelyBelow = hi < Low || (hi == Low && !LowInclusive);
        var entirelyAbove = lo > High || (lo == High && !HighInclusive);
        return entirelyBelow || entirelyAbove ? Verdict.Fails : Verdict.CannotTell;
    }

    /// <summary>Parses an <c>expect:</c> node.</summary>
    public static Expectation Parse(YamlNode node, int lineOffset)
    {
        var line = ClaimFormatException.LineOf(node, lineOffset);
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value switch
            {
                "true" or "yes" => new Expectation("true", 0, false, double.PositiveInfinity, true) { Boolean = true },
                "false" or "no" => new Expectation("false", 0, true, 0, true) { Boolean = true },
                _ => throw new ClaimFormatException(line, $"expect must be one of {Forms}, not '{scalar.Value}'"),
            };
        }
        if (node is not YamlMappingNode map || map.Children.Count != 1)
            throw new ClaimFormatException(line, $"expect must be one of {Forms}");
        var (keyNode, value) = map.Children.First();
        var key = ((YamlScalarNode)keyNode).Value;
        string N(double d) => d.ToString("0.####", CultureInfo.InvariantCulture);
        switch (key)
        {
            case "atLeast":
                var a = ClaimFormatException.Number(value, lineOffset, "expect.atLeast");
                return new Expectation($">= {N(a)}", a, true, double.PositiveInfinity, true);
            case "atMost":
                var b = ClaimFormatException.Number(value, lineOffset, "expect.atMost");
                return new Expectation($"<= {N(b)}", double.NegativeInfinity, true, b, true);
            case "greaterThan":
                var c = ClaimFormatException.Number(value, lineOffset, "expect.greaterThan");
                return new Expectation($"> {N(c)}", c, false, double.PositiveInfinity, true);
            case "lessThan":
                var d = ClaimFormatException.Number(value, lineOffset, "expect.lessThan");
                return new Expectation($"< {N(d)}", double.NegativeInfinity, true, d, false);
            case "equals":
                var e = ClaimFormatException.Number(value, lineOffset, "expect.equals");
                return new Expectation($"= {N(e)}", e, true, e, true);
            case "between":
                if (value is not YamlSequenceNode { Children.Count: 2 } pair)
                    throw new ClaimFormatException(ClaimFormatException.LineOf(value, lineOffset), "expect.between must be a list of two numbers, e.g. [60, 70]");
                var lo = ClaimFormatException.Number(pair.Children[0], lineOffset, "expect.between[0]");
                var hi = ClaimFormatException.Number(pair.Children[1], lineOffset, "expect.between[1]");
                if (lo > hi)
                    throw new ClaimFormatException(line, $"expect.between: {N(lo)} is greater than {N(hi)}");
                return new Expectation($"{N(lo)}–{N(hi)}", lo, true, hi, true);
            default:
                throw new ClaimFormatException(line, $"unknown expectation '{key}' (known: {Forms})");
        }
    }

    /// <summary>True for <c>expect: true/false</c>: the value is a count or truth, shown as yes/no.</summary>
    public bool Boolean { get; init; }
}

/// <summary>The outcome of a claim.</summary>
public enum Verdict
{
    /// <summary>The data says the claim is true.</summary>
    Holds,
    /// <summary>The data says the claim is false.</summary>
    Fails,
    /// <summary>The data present cannot decide (release not scanned, nothing imported, bounds straddle the expectation).</summary>
    CannotTell,
    /// <summary>The claim is not well formed; nothing was evaluated.</summary>
    Invalid,
}
