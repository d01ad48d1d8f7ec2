using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace WebStudio.Generation.Tests.Conventions;

/// <summary>
/// Every test method of every test project is named as a snake_case sentence (<c>A_missing_model_gets_a_clear_error</c>),
/// so the style stays one. The assemblies are read as metadata from their build folders: nothing is loaded, and this
/// project needs no reference to the others.
/// </summary>
[Trait("Capability", "StudioCore")]
public sealed partial class TestNameStyleTests
{
    [Fact]
    public void Every_test_method_in_every_test_assembly_is_a_snake_case_sentence()
    {
        var assemblies = TestAssemblies();
        Assert.Contains(assemblies, a => Path.GetFileName(a) == "WebStudio.Generation.Tests.dll");

        var tests = assemblies.SelectMany(TestMethods).ToList();
        var offenders = tests.Where(t => !IsSnakeCaseSentence(t.Method)).Select(t => $"{t.Type}.{t.Method}").ToList();

        Assert.True(tests.Count > 300, $"only {tests.Count} test methods found in {string.Join(", ", assemblies.Select(Path.GetFileName))}");
        Assert.True(offenders.Count == 0, "not snake_case sentences:\n" + string.Join("\n", offenders));
    }

    [Theory]
    [InlineData("Rejects_an_empty_prompt", true)]
    [InlineData("UNet_output_depends_on_every_input", true)]
    [InlineData("ToBytes_gives_the_byte_ToByte_gives_for_every_value", true)]
    [InlineData("RejectsEmptyPrompt", false)]
    [InlineData("Rejects", false)]
    [InlineData("Rejects__empty", false)]
    [InlineData("Rejects_EmptyPromptsAndBlanks", false)]
    public void The_style_rule_tells_sentences_from_PascalCase(string name, bool sentence) =>
        Assert.Equal(sentence, IsSnakeCaseSentence(name));

    /// <summary>Two or more words joined by single underscores; a word may be an identifier (ToBytes, UNet) but not a PascalCase phrase.</summary>
    private static bool IsSnakeCaseSentence(string name) =>
        SnakeCaseWords().IsMatch(name) && name.Split('_').All(word => UpperCaseHumps().Count(word) <= 3);

    /// <summary>The build outputs of the test projects beside this one, in this configuration (a project not built is skipped).</summary>
    private static List<string> TestAssemblies()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory); // tests/<project>/bin/<configuration>/<framework>/
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var testsFolder = output.Parent.Parent!.Parent!.Parent!;
        return testsFolder.GetDirectories("WebStudio.*")
            .Where(project => project.GetFiles("*.csproj").Length == 1 && project.Name != "WebStudio.Testing")
            .Select(project => Path.Combine(project.FullName, "bin", configuration, framework, project.Name + ".dll"))
            .Where(File.Exists)
            .ToList();
    }

    private static IEnumerable<(string Type, string Method)> TestMethods(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var found = new List<(string, string)>();
        foreach (var typeHandle in metadata.TypeDefinitions)
        {
            var type = metadata.GetTypeDefinition(typeHandle);
            foreach (var methodHandle in type.GetMethods())
            {
                var method = metadata.GetMethodDefinition(methodHandle);
                if (method.GetCustomAttributes().Any(a => AttributeName(metadata, metadata.GetCustomAttribute(a)) is "FactAttribute" or "TheoryAttribute"))
                {
                    found.Add((metadata.GetString(type.Name), metadata.GetString(method.Name)));
                }
            }
        }

        return found;
    }

    private static string? AttributeName(MetadataReader metadata, CustomAttribute attribute)
    {
        if (attribute.Constructor.Kind != HandleKind.MemberReference)
        {
            return null;
        }

        var parent = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
        return parent.Kind == HandleKind.TypeReference ? metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)parent).Name) : null;
    }

    [GeneratedRegex("^[A-Za-z0-9]+(_[A-Za-z0-9]+)+$")]
    private static partial Regex SnakeCaseWords();

    [GeneratedRegex("[A-Z][a-z]")]
    private static partial Regex UpperCaseHumps();
}
