using System.Globalization;
using WebStudio.Studio.Queue;

namespace WebStudio.Web.Endpoints;

/// <summary>One HTTP answer for a submission, whichever page made it: 201 with the job, 400 naming each field, or
/// 403 when the role does not allow it, or 429 with Retry-After when a limit or quota was hit.</summary>
public static class SubmitOutcomeResults
{
    public static IResult ToHttpResult(this SubmitOutcome outcome, HttpContext context)
    {
        switch (outcome.Refusal)
        {
            case SubmitRefusal.None:
                return TypedResults.Created($"/api/jobs/{outcome.Job!.Id}", JobView.From(outcome.Job, 0));
            case SubmitRefusal.Invalid:
                return TypedResults.ValidationProblem(
                    outcome.Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
                    detail: string.Join("; ", outcome.Problems.Select(p => p.Message)));
            case SubmitRefusal.Forbidden:
                return TypedResults.Problem(string.Join("; ", outcome.Problems.Select(p => p.Message)), statusCode: StatusCodes.Status403Forbidden);
            default:
                // Every 429 says when to come back, a full queue as well as the rate limit.
                var retry = outcome.RetryAfter ?? SubmitOutcome.QueueFullRetryAfter;
                context.Response.Headers.RetryAfter = Math.Ceiling(retry.TotalSeconds).ToString(CultureInfo.InvariantCulture);

                return TypedResults.Problem(outcome.Problems[0].Message, statusCode: StatusCodes.Status429TooManyRequests);
        }
    }
}
