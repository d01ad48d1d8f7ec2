using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebStudio.Testing.TinyModels;
using WebStudio.Tests.Shared;

namespace WebStudio.Hardening.Tests.Admission;

/// <summary>
/// Issue 16, finding 4: a job that failed showed ONNX Runtime's raw error text as its reason. A failure inside the
/// engine now shows its owner plain words, on /api/jobs/{id} and on /v1, quoting the job id as the log's reference.
/// Each test breaks the tiny model's UNet after the server started and before any job loaded it.
/// </summary>
[Trait("Capability", "Hardening")]
public class FailureReasonTests
{
    [Fact]
    public async Task A_model_damaged_after_the_start_fails_its_job_with_a_plain_reason_on_api_and_v1()
    {
        await using var server = await StartAsync(unet => File.WriteAllBytes(Path.Combine(unet, "model.onnx"), Enumerable.Repeat((byte)0xFF, 4096).ToArray()));

        var (reason, id) = await FailedOnApiAsync(server);
        Assert.Equal($"the model 'tiny' could not be loaded; the administrator can find the details in the log (ref {id})", reason);

        var v1 = await FailedOnV1Async(server);
        Assert.StartsWith("The generation failed: the model 'tiny' could not be loaded; the administrator can find the details in the log (ref ", v1);
    }

    [Fact]
    public async Task A_job_that_fails_inside_ONNX_Runtime_shows_no_runtime_text_on_api_and_v1()
    {
        // A UNet that loads but expects 128-wide text states where the text encoder gives 32: ORT refuses the run.
        var donor = TinyModelFolders.Shared.Write(TinyModelVariant.Largest);
        await using var server = await StartAsync(unet => File.Copy(Path.Combine(donor, "unet", "model.onnx"), Path.Combine(unet, "model.onnx"), overwrite: true));

        var (reason, id) = await FailedOnApiAsync(server);
        Assert.Equal($"the job failed on the server; the administrator can find the details in the log (ref {id})", reason);

        var v1 = await FailedOnV1Async(server);
        Assert.StartsWith("The generation failed: the job failed on the server; the administrator can find the details in the log (ref ", v1);
    }

    /// <summary>The tiny-model studio, with <paramref name="breakUNet"/> applied to its unet/ folder once it runs.</summary>
    private static async Task<StudioHost> StartAsync(Action<string> breakUNet)
    {
        var server = new StudioHost();
        await server.InitializeAsync();
        breakUNet(Path.Combine(server.Folder, "models", StudioHost.Model, "unet"));
        return server;
    }

    private static async Task<(string Reason, Guid Id)> FailedOnApiAsync(StudioHost server)
    {
        var user = await StudioLogin.RegisterAsync(server, "owner");
        using var submitted = await user.Http.PostAsJsonAsync("/api/jobs", new
        {
            prompt = "a red circle", model = StudioHost.Model, scheduler = "Euler a", steps = 2, guidance = 7, seed = 1, width = 64, height = 64, batchSize = 2,
        });
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var job = await user.Http.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}");
            var status = job.GetProperty("status").GetString();
            if (status is "Failed")
            {
                var reason = job.GetProperty("failureReason").GetString()!;
                AssertPlain(reason);
                return (reason, id);
            }

            Assert.True(status is "Queued" or "Running", $"job {id} ended {status}: {job}");
            Assert.True(DateTime.UtcNow < deadline, $"job {id} still {status} at the deadline");
            await Task.Delay(50);
        }
    }

    private static async Task<string> FailedOnV1Async(StudioHost server)
    {
        var (_, key) = await server.CreateUserWithKeyAsync("api-caller");
        using var client = server.Client(key);
        using var response = await client.PostAsJsonAsync("/v1/images/generations", new { prompt = "a red circle", model = StudioHost.Model, size = "64x64" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.InternalServerError, $"{(int)response.StatusCode}: {body}");
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal("generation_failed", error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString()!;
        AssertPlain(message);
        return message;
    }

    // What ONNX Runtime's and protobuf's messages carry: error codes, graph and tensor names, exception words.
    private static void AssertPlain(string reason)
    {
        foreach (var runtimeText in new[] { "ErrorCode", "onnx", "ONNX Runtime", "encoder_hidden_states", "Protocol", "dimensions", "Exception", "/tmp" })
        {
            Assert.DoesNotContain(runtimeText, reason, StringComparison.OrdinalIgnoreCase);
        }
    }
}
