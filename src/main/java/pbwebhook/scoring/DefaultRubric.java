package pbwebhook.scoring;

import io.vertx.core.json.JsonObject;
import java.util.List;
import pbwebhook.store.schema.Credentials;
import pbwebhook.store.schema.PostScoringAttributes;
import pbwebhook.store.schema.PostScoringInstructions;
import pbwebhook.store.schema.ScoringAttributes;

/**
 * Seed rows for the demo client: a B2B agency selling AI and automation services to Australian founders
 * and senior leaders. The lead rubric keeps the ids, labels and points of system.md §4.1 (positives total
 * 38); the wording is ours. Every attribute carries comma-separated {@code Signals} so the offline
 * heuristic scorer has keywords to look for.
 */
public final class DefaultRubric {

  private DefaultRubric() {}

  public static List<JsonObject> scoringAttributeRows() {
    return List.of(
        new JsonObject()
            .put(ScoringAttributes.ATTRIBUTE_ID, ScoringAttributes.PREAMBLE_ID)
            .put(ScoringAttributes.CATEGORY, ScoringAttributes.CATEGORY_META)
            .put(ScoringAttributes.HEADING, "Preamble")
            .put(ScoringAttributes.INSTRUCTIONS, "You qualify LinkedIn contacts for a small B2B agency that designs "
                + "and builds AI and automation solutions for Australian businesses. A good lead can approve a "
                + "project (founder, owner or senior executive), runs a company that is growing, and is likely "
                + "to answer a message. Recruiters, job seekers and profiles that look unreliable are poor "
                + "leads. Judge only from the profile text you are given and never guess facts that are not "
                + "there."),

        positive("A", "Founder / Co-Founder", 5,
            "Give full points when the person started, or co-started, the business they work in now; half "
                + "when the founding was in the past or the role is unclear.",
            "Co-founder & CEO; founded a design studio; owner-operator of a consultancy",
            "founder, co-founder, cofounder, founded, business owner, company owner, owner-operator, "
                + "founding partner, founding director"),
        positive("B", "C-Suite / Director", 5,
            "Score people who sit at the top table of their organisation and can sign off on spend, such as "
                + "chief officers, managing directors and general managers.",
            "CEO of a logistics firm; Managing Director; GM for APAC",
            "CEO, CTO, CFO, COO, CMO, CIO, CPO, chief executive, chief operating officer, chief technology officer, "
                + "managing director, executive director, director, general manager, president, c-suite"),
        positive("C", "Tech / Product seniority", 3,
            "Reward senior technology or product leaders below the C-suite who shape what gets built and "
                + "would champion an AI project internally.",
            "Head of Engineering; VP Product; principal engineer",
            "head of engineering, head of product, head of technology, head of data, vp engineering, vp product, "
                + "engineering manager, product director, principal engineer, staff engineer, tech lead, "
                + "solutions architect"),
        positive("D", "Prior exit", 5,
            "Score founders who have already sold a company, merged it or taken it public; they know the "
                + "value of outside expertise.",
            "sold my first startup to a listed company; exited in 2021",
            "exited, successful exit, acquired by, was acquired, sold my company, sold my first, sold the company, "
                + "sold the business, trade sale, IPO, post-exit"),
        positive("E", "Raised funding", 4,
            "Score companies that have taken outside capital, which usually means budget and pressure to "
                + "grow quickly.",
            "raised seed from local angels; Series A backed",
            "raised seed, raised funding, raised capital, seed round, pre-seed, series a, series b, "
                + "venture-backed, vc-backed, venture capital, angel investors, funding round"),
        positive("F", "Hiring", 3,
            "Score profiles that show the company is adding staff; growth creates work that automation can "
                + "take on.",
            "we're hiring engineers; growing the team in Melbourne",
            "hiring, we're hiring, we are hiring, join our team, join the team, growing the team, growing our team, "
                + "scaling the team, open roles"),
        positive("G", "Large AU network", 3,
            "Score people well connected in Australia, for example community organisers or leaders based in an "
                + "Australian capital city, who could refer further work.",
            "startup community organiser in Brisbane; Sydney-based investor network",
            "australia, australian, sydney, melbourne, brisbane, perth, adelaide, canberra, hobart, ANZ, "
                + "startup ecosystem, community builder, meetup organiser"),
        positive("H", "Media / speaker", 2,
            "Score visible people: conference speakers, podcast hosts, authors and those quoted in the press.",
            "keynote at a SaaS conference; host of a business podcast",
            "speaker, keynote, podcast, podcast host, panelist, panellist, TEDx, published author, columnist, "
                + "featured in"),
        positive("I", "Ready for contact", 3,
            "Score profiles that openly welcome messages or meetings from people they do not know yet.",
            "happy to chat about automation; DM me to swap ideas",
            "open to connect, open to conversations, reach out, get in touch, dm me, message me, contact me, "
                + "email me, let's connect, let's chat, happy to chat, happy to connect, book a call"),
        positive("J", "Social proof", 2,
            "Score outside recognition such as awards, rankings or named clients that vouch for the person.",
            "award-winning agency; Forbes 30 Under 30",
            "award, award-winning, winner, finalist, recognised, recognized, forbes, 30 under 30, top voice, "
                + "trusted by"),
        positive("K", "Inbound warm-up", 3,
            "Score people already curious about what we sell: they write or talk about AI, automation or "
                + "digital change, so a first message will not come cold.",
            "exploring generative AI for our customer service; automation enthusiast",
            "AI, artificial intelligence, automation, machine learning, generative ai, genai, chatgpt, LLM, "
                + "digital transformation, workflow automation"),

        negative("L1", "Recruiter", 5, true,
            "The person works in recruitment or talent sourcing; they sell hiring services rather than buy "
                + "ours. A clear match removes the lead.",
            "technical recruiter at a staffing agency; talent acquisition partner",
            "recruiter, recruiting, recruitment consultant, recruitment agency, talent acquisition, headhunter, "
                + "executive search, staffing, talent partner, talent sourcer"),
        negative("N1", "Job-seeker", 3, false,
            "The profile says the person is between jobs or looking for a role, so they cannot commission work.",
            "open to work; seeking my next opportunity",
            "open to work, seeking new opportunities, looking for new opportunities, seeking my next, "
                + "looking for my next, job seeker, available for hire, actively looking, between roles, "
                + "career break"),
        negative("N2", "Unrelated industry", 4, false,
            "The person works in a field where our services rarely fit, such as hands-on trades, hospitality "
                + "or retail floor roles.",
            "barista; aged care support worker; retail assistant",
            "hospitality, barista, retail assistant, aged care, disability support worker, tradesperson, plumber, "
                + "electrician, real estate agent, mortgage broker"),
        negative("N3", "Short tenure", 2, false,
            "The current role is a short contract or temporary post, so the person may be gone before a project "
                + "starts.",
            "3-month contract; interim role while we hire",
            "short-term contract, fixed-term contract, temporary role, temp role, contract role, casual role, "
                + "interim"),
        negative("N4", "Spammy headline", 2, false,
            "The headline leans on hype words or get-rich promises instead of saying what the person does.",
            "10x growth ninja; passive income guru",
            "guru, ninja, rockstar, wizard, 10x, millionaire mindset, passive income, make money online, "
                + "get rich, financial freedom, link in bio"),
        negative("N5", "Low credibility", 3, false,
            "The profile promotes schemes that make a business relationship risky, such as multi-level "
                + "marketing or trading signals.",
            "network marketing leader; forex signals mentor",
            "mlm, multi-level marketing, network marketing, forex, binary options, crypto signals, "
                + "dropshipping, side hustle"));
  }

  public static List<JsonObject> postScoringAttributeRows() {
    return List.of(
        postAttribute("P1", "Talks about AI in business", PostScoringAttributes.CATEGORY_POSITIVE, "Scale", 40,
            "Score how much the post is about putting AI or automation to work in a real business. Full marks "
                + "for first-hand experience; little for a passing mention.",
            "AI, automation, LLM, chatbot, machine learning, workflow",
            "crypto, NFT, horoscope",
            "We replaced our manual quoting process with an AI assistant and cut turnaround from days to hours.",
            "Great weekend with the family at the beach."),
        postAttribute("P2", "Names a problem we could solve", PostScoringAttributes.CATEGORY_POSITIVE, "Scale", 30,
            "Score posts that describe a concrete pain: repetitive admin, slow reporting, data spread across "
                + "tools, support queues that keep growing.",
            "manual, spreadsheet, bottleneck, backlog, time-consuming, copy and paste",
            "congratulations, anniversary, holiday",
            "Our team still copies orders from email into three spreadsheets every morning.",
            "Proud to announce our new office opening."),
        postAttribute("P3", "Buyer's voice", PostScoringAttributes.CATEGORY_POSITIVE, "Scale", 20,
            "Score posts written as someone who decides or budgets: planning, choosing vendors, asking peers "
                + "for recommendations.",
            "we are evaluating, looking for a partner, recommendations, budget, roadmap",
            "open to work, my job search",
            "We are looking for a partner to help us automate onboarding next quarter; recommendations welcome.",
            "Sharing an article I found interesting."),
        postAttribute("P4", "Original thinking", PostScoringAttributes.CATEGORY_POSITIVE, "Scale", 10,
            "Score posts with the author's own lessons, numbers or opinions rather than reshared news.",
            "lessons, what we learned, our results, my take",
            "reposted, via, thoughts?",
            "Three things we learned shipping our first internal AI tool.",
            "Reposting this news story."),
        postAttribute("X1", "Sales pitch or engagement bait", PostScoringAttributes.CATEGORY_NEGATIVE,
            "Fixed Penalty", -20,
            "Deduct when the post mainly sells a course or service, or fishes for comments with a giveaway.",
            "case study, lessons learned",
            "comment below, link in bio, limited spots, giveaway, DM me for",
            "Selling your own AI course? Comment YES and I'll send the link.",
            "A thoughtful write-up of a failed automation project."));
  }

  public static List<JsonObject> postScoringInstructionRows() {
    return List.of(
        instruction("ROLE", "Role", 1,
            "You read LinkedIn posts for an agency that builds AI and automation solutions. Your job is to "
                + "tell how strongly each post suggests its author would welcome a conversation about that work."),
        instruction("GUIDELINES", "Guidelines", 2,
            "Score every post on its own, from 0 to 100, using only its text. Prefer first-hand experience "
                + "over opinions about the news, and do not reward length for its own sake."),
        instruction(PostScoringInstructions.SCORING_HEADER_ID, "Scoring rubric", 3,
            "Apply the attributes below: add the positive factors and subtract the penalties."),
        instruction("OUTPUT", "Output format", 4,
            "Answer with a JSON array only, one object per post: {\"post_url\": string, \"post_score\": "
                + "integer, \"scoring_rationale\": one or two sentences}. No markdown and no code fences."));
  }

  /** The demo client's first Credentials row: only the post keyword list, never a secret. */
  public static JsonObject credentialsRow() {
    return new JsonObject().put(Credentials.POST_SCORING_AI_KEYWORDS,
        "AI, automation, machine learning, LLM, generative AI, chatbot");
  }

  private static JsonObject positive(String id, String heading, int maxPoints, String instructions,
                                     String examples, String signals) {
    return attribute(id, ScoringAttributes.CATEGORY_POSITIVE, heading, instructions, examples, signals)
        .put(ScoringAttributes.MAX_POINTS, maxPoints)
        .put(ScoringAttributes.DISQUALIFYING, false);
  }

  private static JsonObject negative(String id, String heading, int penalty, boolean disqualifying,
                                     String instructions, String examples, String signals) {
    return attribute(id, ScoringAttributes.CATEGORY_NEGATIVE, heading, instructions, examples, signals)
        .put(ScoringAttributes.PENALTY, -Math.abs(penalty))
        .put(ScoringAttributes.DISQUALIFYING, disqualifying);
  }

  private static JsonObject attribute(String id, String category, String heading, String instructions,
                                      String examples, String signals) {
    return new JsonObject()
        .put(ScoringAttributes.ATTRIBUTE_ID, id)
        .put(ScoringAttributes.CATEGORY, category)
        .put(ScoringAttributes.HEADING, heading)
        .put(ScoringAttributes.INSTRUCTIONS, instructions)
        .put(ScoringAttributes.EXAMPLES, examples)
        .put(ScoringAttributes.SIGNALS, signals)
        .put(ScoringAttributes.MIN_TO_QUALIFY, 0);
  }

  private static JsonObject postAttribute(String id, String name, String category, String scoringType,
                                          int maxScore, String instructions, String positiveKeywords,
                                          String negativeKeywords, String exampleHigh, String exampleLow) {
    return new JsonObject()
        .put(PostScoringAttributes.ATTRIBUTE_ID, id)
        .put(PostScoringAttributes.CRITERION_NAME, name)
        .put(PostScoringAttributes.CATEGORY, category)
        .put(PostScoringAttributes.SCORING_TYPE, scoringType)
        .put(PostScoringAttributes.MAX_SCORE, maxScore)
        .put(PostScoringAttributes.INSTRUCTIONS, instructions)
        .put(PostScoringAttributes.POSITIVE_KEYWORDS, positiveKeywords)
        .put(PostScoringAttributes.NEGATIVE_KEYWORDS, negativeKeywords)
        .put(PostScoringAttributes.EXAMPLE_HIGH, exampleHigh)
        .put(PostScoringAttributes.EXAMPLE_LOW, exampleLow);
  }

  private static JsonObject instruction(String componentId, String name, int sortOrder, String text) {
    return new JsonObject()
        .put(PostScoringInstructions.COMPONENT_ID, componentId)
        .put(PostScoringInstructions.COMPONENT_NAME, name)
        .put(PostScoringInstructions.INSTRUCTION_TEXT, text)
        .put(PostScoringInstructions.SORT_ORDER, sortOrder);
  }
}
