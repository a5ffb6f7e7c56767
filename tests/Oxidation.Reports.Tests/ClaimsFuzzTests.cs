using System.Text;
using Oxidation.Reports.Claims;
using Oxidation.Tests.Fuzz;

namespace Oxidation.Reports.Tests;

/// <summary>
/// Issue 10, "Done means": hostile bytes as a claims file end in claims (valid or with their <see cref="Claim.Problem"/>)
/// or in a <see cref="ClaimsException"/> naming the file, never in another exception. Deterministic (see <see cref="Fuzzer.Seed"/>).
/// </summary>
public sealed class ClaimsFuzzTests
{
    private static readonly byte[] Shipped = ReadShipped();

    private static byte[] ReadShipped()
    {
        using var stream = typeof(ClaimsFile).Assembly.GetManifestResourceStream("state-of-rust.yaml")!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public void Any_bytes_as_a_claims_file_give_claims_or_a_claims_error()
    {
        Fuzzer.Run(Fuzzer.Inputs(Shipped, "\n :-[]{}'\"#&*!|>,?%@`\\0123456789.", "claims:", "- id:", "claim:", "release:", "query:", "expect:",
            "source:", "note:", "sql:", "units:", "files:", "path:", "name:", "rust_share:", "unsafe_sites:", "cves:", "history:",
            "cve_memory_safety_share:", "bindings_headers:", "year:", "true", "false", "{ atLeast: 1 }", "{ between: [60, 70] }", "atMost:",
            "equals:", "greaterThan:", "lessThan:", "between:", "- ", "  ", "[", "]", "{", "}", "\"6.12\"", "newest", "oldest", "&a", "*a", "<<: *a"),
            ReadClaims, 3000);
    }

    [Fact]
    public async Task A_megabyte_line_of_any_repeated_piece_is_read_without_a_blow_up()
    {
        // "[", "{" and aliases included: ClaimsFile screens them before YamlDotNet's recursive model is built.
        string[] pieces = ["a", " ", "-", "- ", "\"", "'", "#", ":", "&a ", "*a ", "[", "{", "? ", "  - id: x\n", "claims:\n", "\t"];
        foreach (var piece in pieces)
        {
            var bytes = Encoding.UTF8.GetBytes("claims:\n  - id: x\n    claim: " + string.Concat(Enumerable.Repeat(piece, (1 << 20) / piece.Length)));
            // The first slow case fails the test: a case left running would slow down the ones after it.
            Assert.Null(await Fuzzer.TimedAsync($"claims of {Fuzzer.Show(Encoding.UTF8.GetBytes(piece))}", () => ReadClaims(bytes)));
        }
    }

    private static void ReadClaims(byte[] bytes)
    {
        // As ClaimsFile.Load reads a file: UTF-8, invalid bytes replaced.
        var text = Encoding.UTF8.GetString(bytes);
        try
        {
            var file = ClaimsFile.Parse("fuzz.yaml", text);
            foreach (var claim in file.Claims)
            {
                Assert.NotNull(claim.Id); // may be "" (id: ""): left to the claims checks of issue 10 item 16
                Assert.True(claim.Line >= 1, $"claim {claim.Id} at line {claim.Line}");
                Assert.True(claim.Problem is not null || (claim.Query is not null && claim.Expect is not null), $"claim {claim.Id}: no problem, no query");
                _ = claim.Query?.Text;
                _ = claim.Expect?.Text;
            }
        }
        catch (ClaimsException ex)
        {
            Assert.StartsWith("fuzz.yaml", ex.Message, StringComparison.Ordinal);
        }
    }
}
