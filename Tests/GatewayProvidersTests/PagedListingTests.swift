import FunctionRuntime
import GatewayProviders
import GatewayStore
import TestSupport
import Testing

/// The direct providers page their model lists: every page is fetched, each with the cursor the
/// page before gave, and the listing holds the models of all of them.
@Suite struct PagedListingTests {
    @Test func geminiPagesFollowNextPageToken() async throws {
        let upstream = ScriptedUpstream { request in
            request.url.hasSuffix("&pageToken=p2")
                ? .answer(200, #"{"models":[{"name":"models/gemini-2.0-flash","supportedGenerationMethods":["generateContent"]}]}"#)
                : .answer(
                    200, #"{"models":[{"name":"models/gemini-2.5-pro","supportedGenerationMethods":["generateContent"]}],"nextPageToken":"p2"}"#)
        }
        let provider = CatalogueProvider(
            id: "google", name: "google", displayName: "Google", kind: .direct, apiStandard: .gemini, baseURL: "https://g.example/v1beta")
        let listing = try await CatalogueFetcher(upstream: upstream).listing(provider, apiKey: "k", settings: [:])
        #expect(
            upstream.requestedURLs == ["https://g.example/v1beta/models?pageSize=1000", "https://g.example/v1beta/models?pageSize=1000&pageToken=p2"])
        #expect(listing.models.map(\.modelID) == ["gemini-2.5-pro", "gemini-2.0-flash"])
    }

    @Test func anthropicPagesFollowLastIDWhileItHasMore() async throws {
        let upstream = ScriptedUpstream { request in
            request.url.hasSuffix("&after_id=claude-b")
                ? .answer(200, #"{"data":[{"id":"claude-c","display_name":"C"}],"has_more":false,"last_id":"claude-c"}"#)
                : .answer(
                    200, #"{"data":[{"id":"claude-a","display_name":"A"},{"id":"claude-b","display_name":"B"}],"has_more":true,"last_id":"claude-b"}"#
                )
        }
        let provider = CatalogueProvider(
            id: "anthropic", name: "anthropic", displayName: "Anthropic", kind: .direct, apiStandard: .anthropic, baseURL: "https://a.example")
        let listing = try await CatalogueFetcher(upstream: upstream).listing(provider, apiKey: "k", settings: [:])
        #expect(upstream.requestedURLs == ["https://a.example/v1/models?limit=1000", "https://a.example/v1/models?limit=1000&after_id=claude-b"])
        #expect(listing.models.map(\.modelID) == ["claude-a", "claude-b", "claude-c"])
    }
}
