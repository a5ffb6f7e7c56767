using Oxidation.Reports.Claims;

namespace Oxidation.Reports.Tests;

public sealed class ClaimsFileTests
{
    private const string Good = """
        claims:
          - id: a
            claim: A Rust PHY driver is in 6.12
            release: "6.12"
            query:
              units: { path: "drivers/net/phy/*" }
            expect: { atLeast: 1 }
        """;

    [Fact]
    public void Shipped_claims_are_all_valid_and_at_least_fifteen()
    {
        var file = ClaimsFile.Shipped();
        Assert.True(file.Claims.Count >= 15);
        Assert.All(file.Claims, c => Assert.Null(c.Problem));
        Assert.Equal(file.Claims.Count, file.Claims.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public void A_good_claim_parses_with_its_line_query_and_expectation()
    {
        var claim = Assert.Single(ClaimsFile.Parse("c.yaml", Good).Claims);
        Assert.Equal(("a", 2, "6.12"), (claim.Id, claim.Line, claim.Release));
        Assert.Equal("units(path=drivers/net/phy/*)", claim.Query!.Text);
        Assert.Equal(">= 1", claim.Expect!.Text);
    }

    [Fact]
    public void Unknown_query_wrong_type_and_unknown_argument_name_their_line_and_spare_the_others()
    {
        const string text = """
            claims:
              - id: unknown-form
                claim: x
                query:
                  unitz: {}
                expect: true
              - id: wrong-type
                claim: y
                query:
                  cves: { year: "last" }
                expect: true
              - id: bad-expect
                claim: z
                query:
                  rust_share: {}
                expect: { atLeast: many }
              - id: bad-arg
                claim: w
                query:
                  files: { pth: "x" }
                expect: true
              - id: fine
                claim: v
                query:
                  rust_share: {}
                expect: { lessThan: 1 }
            """;
        var claims = ClaimsFile.Parse("c.yaml", text).Claims;
        Assert.Equal(5, claims.Count);
        Assert.Equal((5, "unknown query 'unitz' (known: rust_share, units, files, unsafe_sites, bindings_headers, cves, cve_memory_safety_share, history, sql)"), (claims[0].Line, claims[0].Problem));
        Assert.Equal((10, "query.cves.year must be a whole number, not 'last'"), (claims[1].Line, claims[1].Problem));
        Assert.Equal((16, "expect.atLeast must be a number, not 'many'"), (claims[2].Line, claims[2].Problem));
        Assert.Equal(20, claims[3].Line);
        Assert.StartsWith("query.files has no argument 'pth'", claims[3].Problem);
        Assert.Null(claims[4].Problem);
    }

    [Fact]
    public void A_syntax_error_costs_only_its_own_claim()
    {
        const string text = """
            claims:
              - id: first
                claim: fine
                query: { rust_share: {} }
                expect: { lessThan: 1 }
              - id: broken
                claim: "an unclosed quote
                query: { rust_share: {} }
                expect: true
              - id: third
                claim: also fine
                query: { rust_share: {} }
                expect: { lessThan: 1 }
            """;
        var claims = ClaimsFile.Parse("c.yaml", text).Claims;
        Assert.Equal(["first", "broken", "third"], claims.Select(c => c.Id));
        Assert.Null(claims[0].Problem);
        Assert.StartsWith("YAML syntax error", claims[1].Problem);
        Assert.InRange(claims[1].Line, 6, 9);
        Assert.Null(claims[2].Problem);
        Assert.Equal(10, claims[2].Line);
    }

    [Fact]
    public void A_file_without_a_claims_list_is_refused_with_file_and_line()
    {
        var ex = Assert.Throws<ClaimsException>(() => ClaimsFile.Parse("c.yaml", "- just\n- a list\n"));
        Assert.Equal("c.yaml:1: expected a mapping with a 'claims:' list", ex.Message);
        Assert.Equal("c.yaml: empty claims file", Assert.Throws<ClaimsException>(() => ClaimsFile.Parse("c.yaml", "")).Message);
        Assert.Equal("missing.yaml: no such file", Assert.Throws<ClaimsException>(() => ClaimsFile.Load("missing.yaml")).Message);
    }
}
