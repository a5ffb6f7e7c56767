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
        Assert.Equal((5, "unknown query 'unitz' (known: rust_share, units, files, unsafe_sites, bindings_headers, cves, cve_memory_safety_share, history, milestone, binding_coverage, rust_dependents, sql)"), (claims[0].Line, claims[0].Problem));
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
    public void An_alias_used_as_a_mapping_key_is_refused_not_a_stack_overflow()
    {
        // Found by the claims fuzz test: YamlDotNet's YamlAliasNode.Equals recursed for ever on a key that is an alias,
        // and a stack overflow ends the process (nothing can catch it). A claims file has no use for aliases.
        const string text = """
            claims:
              - id: first
                claim: fine
                query: { rust_share: {} }
                expect: { lessThan: 1 }
              - id: looped
                claim: x
                query: &q { *q : 1 }
                expect: true
            """;
        var claims = ClaimsFile.Parse("c.yaml", text).Claims;
        Assert.Equal(["first", "looped"], claims.Select(c => c.Id));
        Assert.Null(claims[0].Problem);
        Assert.Equal("YAML syntax error at column 17: aliases (*name) are not allowed in a claims file", claims[1].Problem);
    }

    [Fact]
    public void An_escape_naming_half_a_surrogate_pair_is_a_syntax_error_of_its_claim()
    {
        // Found by the claims fuzz test: YamlDotNet threw ArgumentOutOfRangeException out of the whole check.
        const string text = "claims:\n  - id: odd\n    claim: \"\\ud800\\u0041\"\n    query: { rust_share: {} }\n    expect: true\n";
        var claim = Assert.Single(ClaimsFile.Parse("c.yaml", text).Claims);
        Assert.Equal("odd", claim.Id);
        Assert.StartsWith("YAML syntax error", claim.Problem);
        Assert.EndsWith("an escape in a quoted string is not a valid character", claim.Problem);
    }

    [Fact]
    public void Collections_nested_ten_thousand_deep_are_refused_as_a_syntax_error()
    {
        var text = "claims:\n  - id: deep\n    claim: x\n    query: " + new string('[', 10_000) + new string(']', 10_000) + "\n    expect: true\n";
        var claim = Assert.Single(ClaimsFile.Parse("c.yaml", text).Claims);
        Assert.Equal("deep", claim.Id);
        Assert.Equal("YAML syntax error at column 74: collections nested deeper than 64", claim.Problem);
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
