"""Role archetypes: who seeded members are, and which skills go together in real roles.

Each skill has the chance that a person in the role lists it; skills at or above CORE are
the role's core (listed at a higher level, for longer). Names must exist in the shipped
taxonomy: the seed refuses to run otherwise, and a test checks it.
"""

from __future__ import annotations

from dataclasses import dataclass

CORE = 0.7

SENIORITIES = ("junior", "mid", "senior", "lead")
SENIORITY_WEIGHTS = (15, 35, 35, 15)
# (min, max) years of experience, and the rate multiplier against mid-level.
SENIORITY_YEARS = {"junior": (1, 3), "mid": (3, 6), "senior": (6, 12), "lead": (10, 20)}
SENIORITY_RATE = {"junior": 0.62, "mid": 1.0, "senior": 1.3, "lead": 1.6}
SENIORITY_PHRASE = {
    "junior": "early in my career and learning fast",
    "mid": "a few years into the craft",
    "senior": "a senior practitioner",
    "lead": "someone who has led teams and set technical direction",
}


@dataclass(frozen=True)
class Archetype:
    key: str
    # Group for the community graph: people in one family meet each other more.
    family: str
    weight: float
    # Hourly rate in USD for a mid-level person in North America.
    base_rate: int
    # Job titles by seniority.
    titles: tuple[str, str, str, str]
    skills: tuple[tuple[str, float], ...]
    focus: str
    # Three things such a person typically does, for the bio's list.
    does: tuple[str, str, str]
    # Where their public work lives (links).
    link_sites: tuple[str, ...] = ("github.com",)

    @property
    def core(self) -> tuple[str, ...]:
        return tuple(name for name, p in self.skills if p >= CORE)


def _eng_titles(kind: str) -> tuple[str, str, str, str]:
    return (f"Junior {kind}", kind.capitalize(), f"Senior {kind}", f"Staff {kind}")


# fmt: off
ARCHETYPES: tuple[Archetype, ...] = (
    Archetype(
        key="backend_python",
        family="backend",
        weight=10,
        base_rate=95,
        titles=_eng_titles("backend engineer"),
        skills=(
            ("Python", 0.97), ("Django", 0.75), ("PostgreSQL", 0.8), ("Docker", 0.72),
            ("REST APIs", 0.55), ("Django REST Framework", 0.45), ("Redis", 0.45),
            ("Celery", 0.35), ("FastAPI", 0.35), ("Flask", 0.22), ("pytest", 0.5),
            ("SQLAlchemy", 0.18), ("Git", 0.4), ("Amazon Web Services", 0.4), ("Linux", 0.35),
            ("CI/CD", 0.25), ("Kubernetes", 0.15), ("GraphQL", 0.12), ("Elasticsearch", 0.1),
            ("RabbitMQ", 0.1), ("Microservices", 0.18), ("TypeScript", 0.08), ("React", 0.07),
        ),
        focus="Python back ends: APIs, data models and the jobs that run behind them",
        does=(
            "Django and FastAPI services with clean, tested APIs",
            "PostgreSQL schema design, query tuning and migrations",
            "background jobs, caching and the deploy pipeline",
        ),
    ),
    Archetype(
        key="backend_go",
        family="backend",
        weight=5,
        base_rate=105,
        titles=_eng_titles("backend engineer"),
        skills=(
            ("Go", 0.97), ("Docker", 0.8), ("PostgreSQL", 0.7), ("Kubernetes", 0.6),
            ("gRPC", 0.5), ("Microservices", 0.5), ("REST APIs", 0.5), ("Linux", 0.5),
            ("Redis", 0.4), ("Amazon Web Services", 0.45), ("Prometheus", 0.35),
            ("Distributed Systems", 0.35), ("Apache Kafka", 0.3), ("Gin", 0.3),
            ("Google Cloud Platform", 0.2), ("Terraform", 0.2), ("Python", 0.2),
            ("Rust", 0.08),
        ),
        focus="fast, boring Go services that stay up",
        does=(
            "Go microservices with gRPC and REST interfaces",
            "Kubernetes deployments with sensible metrics and alerts",
            "event pipelines on Kafka and PostgreSQL",
        ),
    ),
    Archetype(
        key="backend_java",
        family="backend",
        weight=7,
        base_rate=95,
        titles=_eng_titles("backend engineer"),
        skills=(
            ("Java", 0.97), ("Spring Boot", 0.85), ("Spring Framework", 0.5),
            ("Microservices", 0.6), ("Docker", 0.6), ("Hibernate", 0.4), ("PostgreSQL", 0.5),
            ("MySQL", 0.3), ("JUnit", 0.5), ("Apache Maven", 0.4), ("Gradle", 0.3),
            ("Apache Kafka", 0.35), ("Kubernetes", 0.4), ("REST APIs", 0.5), ("Kotlin", 0.25),
            ("Amazon Web Services", 0.35), ("Oracle Database", 0.15), ("Jenkins", 0.2),
        ),
        focus="JVM back ends for products that handle real money and real load",
        does=(
            "Spring Boot services and the APIs between them",
            "data access with Hibernate on PostgreSQL or MySQL",
            "moving monoliths to well-bounded services, carefully",
        ),
    ),
    Archetype(
        key="backend_node",
        family="backend",
        weight=7,
        base_rate=90,
        titles=_eng_titles("full-stack engineer"),
        skills=(
            ("Node.js", 0.97), ("TypeScript", 0.8), ("JavaScript", 0.8), ("Express", 0.55),
            ("REST APIs", 0.55), ("Docker", 0.55), ("PostgreSQL", 0.5), ("MongoDB", 0.45),
            ("NestJS", 0.35), ("GraphQL", 0.35), ("Redis", 0.35), ("Jest", 0.45),
            ("Amazon Web Services", 0.35), ("React", 0.35), ("Prisma", 0.2),
            ("Serverless", 0.15),
        ),
        focus="TypeScript from the database to the browser",
        does=(
            "Node.js APIs in Express or NestJS",
            "GraphQL and REST back ends for React front ends",
            "serverless functions and the glue between SaaS tools",
        ),
    ),
    Archetype(
        key="frontend_react",
        family="frontend",
        weight=11,
        base_rate=90,
        titles=_eng_titles("frontend engineer"),
        skills=(
            ("React", 0.97), ("JavaScript", 0.9), ("TypeScript", 0.8), ("HTML", 0.8),
            ("CSS", 0.8), ("Next.js", 0.5), ("Redux", 0.4), ("Tailwind CSS", 0.4),
            ("Jest", 0.45), ("Testing Library", 0.35), ("Responsive Web Design", 0.35),
            ("Storybook", 0.25), ("Webpack", 0.25), ("Vite", 0.25), ("GraphQL", 0.25),
            ("Web Accessibility", 0.25), ("Node.js", 0.3), ("Figma", 0.2), ("Cypress", 0.2),
        ),
        focus="fast, accessible React interfaces",
        does=(
            "React and Next.js applications with a real design system",
            "accessibility and performance audits that lead to fixes",
            "component libraries in Storybook that designers trust",
        ),
    ),
    Archetype(
        key="frontend_vue",
        family="frontend",
        weight=4,
        base_rate=80,
        titles=_eng_titles("frontend engineer"),
        skills=(
            ("Vue.js", 0.97), ("JavaScript", 0.9), ("HTML", 0.8), ("CSS", 0.8),
            ("TypeScript", 0.6), ("Nuxt", 0.45), ("Vite", 0.4), ("Sass", 0.4), ("Pinia", 0.3),
            ("Vuex", 0.3), ("Tailwind CSS", 0.35), ("Vitest", 0.25), ("Jest", 0.2),
            ("Laravel", 0.15), ("PHP", 0.15),
        ),
        focus="Vue front ends that are pleasant to use and to maintain",
        does=(
            "Vue and Nuxt applications",
            "moving old jQuery pages to components without a rewrite",
            "design-to-code work with a close eye on detail",
        ),
    ),
    Archetype(
        key="mobile_ios",
        family="mobile",
        weight=4,
        base_rate=100,
        titles=_eng_titles("iOS engineer"),
        skills=(
            ("Swift", 0.97), ("iOS Development", 0.9), ("SwiftUI", 0.7), ("UIKit", 0.7),
            ("Core Data", 0.35), ("Firebase", 0.35), ("Objective-C", 0.3), ("REST APIs", 0.4),
            ("Git", 0.4), ("Unit Testing", 0.3), ("App Store Optimization", 0.08),
        ),
        focus="native iOS apps people keep on their home screen",
        does=(
            "SwiftUI and UIKit apps from first screen to App Store",
            "offline-first data with Core Data and sync",
            "crash-free releases and a calm review process",
        ),
    ),
    Archetype(
        key="mobile_android",
        family="mobile",
        weight=4,
        base_rate=95,
        titles=_eng_titles("Android engineer"),
        skills=(
            ("Kotlin", 0.97), ("Android Development", 0.9), ("Jetpack Compose", 0.65),
            ("Java", 0.5), ("Firebase", 0.4), ("Gradle", 0.35), ("REST APIs", 0.4),
            ("Git", 0.4), ("Kotlin Multiplatform", 0.15), ("Unit Testing", 0.3),
        ),
        focus="native Android apps that feel fast on cheap phones",
        does=(
            "Kotlin and Jetpack Compose apps",
            "performance work for low-end devices and bad networks",
            "shared code with Kotlin Multiplatform where it pays off",
        ),
    ),
    Archetype(
        key="mobile_cross",
        family="mobile",
        weight=3,
        base_rate=85,
        titles=_eng_titles("mobile engineer"),
        skills=(
            ("React Native", 0.6), ("Flutter", 0.45), ("Dart", 0.4), ("TypeScript", 0.5),
            ("JavaScript", 0.55), ("Firebase", 0.5), ("Expo", 0.3), ("Redux", 0.2),
            ("iOS Development", 0.3), ("Android Development", 0.3), ("REST APIs", 0.4),
        ),
        focus="one codebase, two app stores",
        does=(
            "React Native and Flutter apps for startups",
            "push notifications, payments and deep links done right",
            "getting an MVP into both stores in weeks",
        ),
    ),
    Archetype(
        key="data_engineer",
        family="data",
        weight=6,
        base_rate=105,
        titles=_eng_titles("data engineer"),
        skills=(
            ("Python", 0.9), ("SQL", 0.9), ("ETL", 0.6), ("Apache Airflow", 0.6),
            ("Apache Spark", 0.55), ("dbt", 0.5), ("Data Modeling", 0.5),
            ("Data Warehousing", 0.5), ("Snowflake", 0.4), ("PySpark", 0.4),
            ("Amazon Web Services", 0.45), ("PostgreSQL", 0.4), ("Docker", 0.4),
            ("Apache Kafka", 0.35), ("Google BigQuery", 0.3), ("Databricks", 0.3),
            ("Amazon Redshift", 0.2), ("Scala", 0.15), ("Terraform", 0.15),
        ),
        focus="data platforms: pipelines, warehouses and the models on top",
        does=(
            "batch and streaming pipelines with Airflow, Spark and Kafka",
            "warehouse modelling in dbt on Snowflake or BigQuery",
            "data quality checks that catch problems before dashboards do",
        ),
    ),
    Archetype(
        key="data_analyst",
        family="data",
        weight=4,
        base_rate=75,
        titles=("Junior data analyst", "Data analyst", "Senior data analyst", "Analytics lead"),
        skills=(
            ("SQL", 0.95), ("Data Analysis", 0.85), ("Microsoft Excel", 0.6), ("Tableau", 0.4),
            ("Power BI", 0.35), ("Python", 0.5), ("pandas", 0.4), ("Statistics", 0.45),
            ("Data Visualization", 0.5), ("Looker", 0.25), ("A/B Testing", 0.3),
            ("Google Analytics", 0.25), ("Google Sheets", 0.3), ("dbt", 0.15), ("R", 0.15),
        ),
        focus="turning messy data into decisions people act on",
        does=(
            "dashboards in Tableau, Power BI or Looker",
            "experiment analysis and honest statistics",
            "SQL deep dives into funnels, cohorts and churn",
        ),
    ),
    Archetype(
        key="ml_engineer",
        family="data",
        weight=6,
        base_rate=125,
        titles=_eng_titles("machine learning engineer"),
        skills=(
            ("Python", 0.98), ("Machine Learning", 0.9), ("pandas", 0.65), ("PyTorch", 0.65),
            ("scikit-learn", 0.6), ("NumPy", 0.6), ("Deep Learning", 0.5), ("Docker", 0.45),
            ("TensorFlow", 0.4), ("SQL", 0.4), ("Jupyter", 0.4), ("MLOps", 0.35),
            ("Large Language Models", 0.35), ("Hugging Face Transformers", 0.35),
            ("Natural Language Processing", 0.3), ("Computer Vision", 0.25), ("MLflow", 0.25),
            ("Retrieval-Augmented Generation", 0.2), ("Kubernetes", 0.2), ("LangChain", 0.15),
            ("Amazon SageMaker", 0.15),
        ),
        focus="machine learning that survives contact with production",
        does=(
            "training and evaluating models in PyTorch and scikit-learn",
            "LLM features: retrieval, prompting and evaluation",
            "MLOps: reproducible training, model serving and monitoring",
        ),
        link_sites=("github.com", "huggingface.co"),
    ),
    Archetype(
        key="product_designer",
        family="design",
        weight=8,
        base_rate=85,
        titles=(
            "Junior product designer", "Product designer", "Senior product designer", "Design lead",
        ),
        skills=(
            ("Figma", 0.95), ("UI Design", 0.8), ("UX Design", 0.8), ("Prototyping", 0.7),
            ("Wireframing", 0.6), ("Design Systems", 0.55), ("Interaction Design", 0.45),
            ("User Research", 0.4), ("Usability Testing", 0.35), ("Design Thinking", 0.3),
            ("Sketch", 0.25), ("Adobe Photoshop", 0.2), ("Adobe Illustrator", 0.2),
            ("Framer", 0.15), ("CSS", 0.12), ("HTML", 0.1), ("Webflow", 0.1),
        ),
        focus="product design from the first sketch to the shipped pixel",
        does=(
            "end-to-end product design in Figma",
            "design systems that engineers can build from",
            "prototypes that settle arguments before code is written",
        ),
        link_sites=("dribbble.com", "behance.net"),
    ),
    Archetype(
        key="ux_researcher",
        family="design",
        weight=3,
        base_rate=85,
        titles=("Junior UX researcher", "UX researcher", "Senior UX researcher", "Research lead"),
        skills=(
            ("User Research", 0.95), ("User Interviews", 0.85), ("Usability Testing", 0.8),
            ("Survey Design", 0.6), ("Journey Mapping", 0.55), ("Personas", 0.5),
            ("Miro", 0.5), ("Figma", 0.45), ("Design Thinking", 0.35), ("Card Sorting", 0.35),
            ("Contextual Inquiry", 0.3), ("Heuristic Evaluation", 0.3),
            ("Information Architecture", 0.3), ("Tree Testing", 0.25), ("Diary Studies", 0.25),
            ("Hotjar", 0.2),
        ),
        focus="finding out what people actually need, and saying it clearly",
        does=(
            "interview and usability studies, planned and run end to end",
            "journey maps and personas grounded in evidence",
            "research repositories teams actually read",
        ),
        link_sites=("medium.com",),
    ),
    Archetype(
        key="product_manager",
        family="product",
        weight=6,
        base_rate=100,
        titles=(
            "Associate product manager", "Product manager", "Senior product manager", "Head of product",
        ),
        skills=(
            ("Product Management", 0.95), ("Product Roadmapping", 0.7),
            ("Stakeholder Management", 0.6), ("Agile", 0.6), ("Jira", 0.6),
            ("Product Discovery", 0.55), ("User Stories", 0.5), ("Prioritization", 0.5),
            ("Scrum", 0.45), ("Product Strategy", 0.45), ("OKRs", 0.35),
            ("Product Analytics", 0.35), ("Product Requirements Documents", 0.35),
            ("A/B Testing", 0.3), ("Confluence", 0.3), ("SQL", 0.25), ("Amplitude", 0.2),
            ("Go-to-Market Strategy", 0.2), ("Notion", 0.2), ("Mixpanel", 0.15),
        ),
        focus="product management for teams that want fewer, better features",
        does=(
            "discovery work that turns customer problems into bets",
            "roadmaps tied to outcomes, not output",
            "launches with analytics in place from day one",
        ),
        link_sites=("linkedin.com",),
    ),
    Archetype(
        key="growth_marketer",
        family="marketing",
        weight=4,
        base_rate=80,
        titles=(
            "Marketing associate", "Growth marketer", "Senior growth marketer", "Head of growth",
        ),
        skills=(
            ("Growth Marketing", 0.9), ("Google Analytics", 0.7), ("Google Ads", 0.5),
            ("A/B Testing", 0.5), ("Email Marketing", 0.5), ("Meta Ads", 0.45),
            ("Conversion Rate Optimization", 0.45), ("User Acquisition", 0.45),
            ("HubSpot", 0.4), ("Funnel Optimization", 0.4), ("Marketing Strategy", 0.4),
            ("Lifecycle Marketing", 0.35), ("Marketing Automation", 0.35),
            ("LinkedIn Ads", 0.2), ("SQL", 0.2), ("Amplitude", 0.15), ("Mixpanel", 0.15),
            ("Segment", 0.15), ("Klaviyo", 0.15), ("Braze", 0.1),
        ),
        focus="growth: acquisition, activation and retention, measured",
        does=(
            "paid acquisition on Google, Meta and LinkedIn",
            "lifecycle email and onboarding experiments",
            "funnel analysis and conversion-rate work",
        ),
        link_sites=("linkedin.com",),
    ),
    Archetype(
        key="seo_content",
        family="marketing",
        weight=3,
        base_rate=65,
        titles=(
            "Junior SEO specialist", "SEO and content specialist", "Senior SEO strategist",
            "Head of content",
        ),
        skills=(
            ("Search Engine Optimization", 0.95), ("Keyword Research", 0.75),
            ("Content Marketing", 0.7), ("Content Writing", 0.6),
            ("Google Search Console", 0.6), ("Google Analytics", 0.6), ("Copywriting", 0.55),
            ("Content Strategy", 0.55), ("Ahrefs", 0.5), ("Semrush", 0.5),
            ("Technical SEO", 0.45), ("WordPress", 0.45), ("Link Building", 0.4),
            ("Blogging", 0.35), ("Screaming Frog", 0.3), ("Local SEO", 0.2),
            ("Technical Writing", 0.1),
        ),
        focus="search traffic that turns into customers",
        does=(
            "technical SEO audits and the fixes that follow",
            "content strategy and briefs writers love",
            "keyword research tied to revenue, not vanity",
        ),
        link_sites=("medium.com", "substack.com"),
    ),
    Archetype(
        key="devops_sre",
        family="infrastructure",
        weight=6,
        base_rate=110,
        titles=(
            "Junior DevOps engineer", "DevOps engineer", "Senior site reliability engineer",
            "Principal SRE",
        ),
        skills=(
            ("Docker", 0.9), ("Linux", 0.9), ("Kubernetes", 0.85), ("Terraform", 0.75),
            ("Amazon Web Services", 0.7), ("CI/CD", 0.7), ("Bash", 0.6), ("Prometheus", 0.55),
            ("Grafana", 0.55), ("Helm", 0.5), ("Python", 0.45),
            ("Infrastructure as Code", 0.45), ("Site Reliability Engineering", 0.45),
            ("Ansible", 0.4), ("GitHub Actions", 0.4), ("Observability", 0.35),
            ("GitLab CI", 0.3), ("Jenkins", 0.3), ("Nginx", 0.3), ("Go", 0.25),
            ("Argo CD", 0.25), ("Google Cloud Platform", 0.25), ("Microsoft Azure", 0.2),
            ("Datadog", 0.2),
        ),
        focus="infrastructure that is dull in the best way",
        does=(
            "Kubernetes platforms with Terraform and GitOps",
            "CI/CD pipelines that are fast and trusted",
            "observability and on-call that lets people sleep",
        ),
    ),
    Archetype(
        key="qa_engineer",
        family="infrastructure",
        weight=4,
        base_rate=65,
        titles=("Junior QA engineer", "QA engineer", "Senior QA automation engineer", "QA lead"),
        skills=(
            ("Quality Assurance", 0.9), ("Test Automation", 0.8), ("Manual Testing", 0.6),
            ("Selenium", 0.5), ("Regression Testing", 0.5), ("Postman", 0.5), ("Jira", 0.5),
            ("Cypress", 0.45), ("Playwright", 0.4), ("End-to-End Testing", 0.35),
            ("JavaScript", 0.35), ("Java", 0.3), ("Python", 0.3), ("pytest", 0.25),
            ("Behavior-Driven Development", 0.25), ("Cucumber", 0.25), ("Appium", 0.2),
            ("JUnit", 0.2), ("Load Testing", 0.2), ("TypeScript", 0.2),
            ("Apache JMeter", 0.15), ("k6", 0.1),
        ),
        focus="quality that ships with the code, not after it",
        does=(
            "end-to-end suites in Playwright, Cypress or Selenium",
            "test strategies that balance automation and exploration",
            "load tests before launch day, not during it",
        ),
    ),
)

# fmt: on
ARCHETYPE_BY_KEY = {a.key: a for a in ARCHETYPES}


def all_skill_names() -> set[str]:
    return {name for a in ARCHETYPES for name, _p in a.skills}
