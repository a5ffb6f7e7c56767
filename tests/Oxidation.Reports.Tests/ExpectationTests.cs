using CsCheck;
using Oxidation.Reports.Claims;
using YamlDotNet.RepresentationModel;

namespace Oxidation.Reports.Tests;

public sealed class ExpectationTests
{
    private static Expectation Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Expectation.Parse(stream.Documents[0].RootNode, 0);
    }

    [Theory]
    [InlineData("{ atLeast: 1 }", 1, true)]
    [InlineData("{ atLeast: 1 }", 0.999, false)]
    [InlineData("{ greaterThan: 1 }", 1, false)]
    [InlineData("{ lessThan: 1 }", 0.035, true)]
    [InlineData("{ lessThan: 1 }", 1, false)]
    [InlineData("{ atMost: 0 }", 0, true)]
    [InlineData("{ equals: 0 }", 3, false)]
    [InlineData("{ between: [60, 70] }", 70, true)]
    [InlineData("{ between: [60, 70] }", 30.7, false)]
    [InlineData("true", 2, true)]
    [InlineData("true", 0, false)]
    [InlineData("false", 0, true)]
    public void Values_are_judged_against_the_expected_set(string yaml, double value, bool holds) =>
        Assert.Equal(holds ? Verdict.Holds : Verdict.Fails, Parse(yaml).Judge(value, null, null));

    [Fact]
    public void Bounds_decide_only_when_wholly_inside_or_outside()
    {
        var quoted = Parse("{ between: [60, 70] }");
        Assert.Equal(Verdict.Fails, quoted.Judge(30.7, 30.7, 47.1)); // the snapshot's share and bounds
        Assert.Equal(Verdict.CannotTell, quoted.Judge(55, 50, 65));
        Assert.Equal(Verdict.Holds, quoted.Judge(65, 61, 69));
    }

    [Fact]
    public void Without_bounds_a_value_always_holds_or_fails_and_agrees_with_Accepts()
    {
        Gen.Select(Gen.Double[-1000, 1000], Gen.Double[-1000, 1000], Gen.Double[-1000, 1000]).Sample((a, b, v) =>
        {
            var (lo, hi) = (Math.Min(a, b), Math.Max(a, b));
            var e = new Expectation("t", lo, true, hi, true);
            var verdict = e.Judge(v, null, null);
            return verdict == (e.Accepts(v) ? Verdict.Holds : Verdict.Fails);
        });
    }

    [Fact]
    public void Bounds_straddling_an_edge_cannot_tell()
    {
        Gen.Select(Gen.Double[0, 100], Gen.Double[0.001, 50]).Sample((edge, half) =>
        {
            var e = new Expectation("t", edge, true, double.PositiveInfinity, true);
            return e.Judge(edge, edge - half, edge + half) == Verdict.CannotTell;
        });
    }

    [Theory]
    [InlineData("{ between: [70, 60] }", "expect.between: 70 is greater than 60")]
    [InlineData("{ between: 60 }", "expect.between must be a list of two numbers, e.g. [60, 70]")]
    [InlineData("{ around: 5 }", "unknown expectation 'around' (known: true, false, {atLeast: N}, {atMost: N}, {greaterThan: N}, {lessThan: N}, {equals: N}, {between: [A, B]})")]
    [InlineData("maybe", "expect must be one of true, false, {atLeast: N}, {atMost: N}, {greaterThan: N}, {lessThan: N}, {equals: N}, {between: [A, B]}, not 'maybe'")]
    public void Malformed_expectations_say_what_is_wrong(string yaml, string message) =>
        Assert.Equal(message, Assert.Throws<ClaimFormatException>(() => Parse(yaml)).Message);
}
