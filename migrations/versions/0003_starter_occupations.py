"""Seed a small starter catalogue of occupations, so search works before any O*NET import.

The codes and titles are O*NET-SOC's (they are the keys an O*NET import later updates); the
descriptions and tasks are written for InfoView, in plain words for students, and are not
O*NET text. An O*NET import replaces these rows (source becomes "onet").

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOURCE = "starter"

# (code, title, description, typical tasks)
STARTER_OCCUPATIONS: list[tuple[str, str, str, list[str]]] = [
    # Health
    ("29-1141.00", "Registered Nurses",
     "Look after patients in hospitals, clinics, schools and homes: watch how they are doing, "
     "give treatments and medicines, and explain to patients and families what comes next.",
     ["Check and record patients' vital signs and symptoms during a shift.",
      "Give medicines and treatments as the care plan and the physician's orders say.",
      "Teach patients and their families how to manage a condition at home.",
      "Tell physicians and the care team about changes in a patient's condition."]),
    ("29-1123.00", "Physical Therapists",
     "Help people recover movement and manage pain after an injury, surgery or illness, "
     "through exercise, hands-on therapy and a plan the patient follows between visits.",
     ["Assess a patient's strength, balance and range of motion at a first visit.",
      "Design an exercise programme with goals the patient can measure.",
      "Guide patients through exercises and adjust them as they progress.",
      "Keep notes on progress and share them with physicians and insurers."]),
    ("29-1122.00", "Occupational Therapists",
     "Help people of all ages take part in daily life (dressing, working, studying, playing) "
     "when an illness, injury or disability makes everyday activities hard.",
     ["Watch how a client manages everyday activities and find what gets in the way.",
      "Plan activities that rebuild skills a client needs at home, school or work.",
      "Recommend tools or changes to a home or workplace that make tasks easier.",
      "Coach family members and caregivers on how to support the client."]),
    ("29-1051.00", "Pharmacists",
     "Make sure people get the right medicine at the right dose: check prescriptions, "
     "dispense medicines and advise patients and prescribers on safe use.",
     ["Review prescriptions for the right dose and for interactions with other medicines.",
      "Explain to patients how and when to take a medicine and what side effects to expect.",
      "Advise physicians and nurses on choosing a medicine or a dose.",
      "Give vaccinations and run health screenings in a community pharmacy."]),
    ("29-1071.00", "Physician Assistants",
     "Examine, diagnose and treat patients as part of a team led by physicians, in primary "
     "care, surgery, emergency medicine and many other specialties.",
     ["Take medical histories and examine patients.",
      "Order and interpret tests such as blood work and X-rays.",
      "Diagnose common illnesses and injuries and start a treatment plan.",
      "Prescribe medicines where state law allows it."]),
    # Counselling and social services
    ("21-1014.00", "Mental Health Counselors",
     "Help individuals, couples and groups work through emotional and mental health concerns "
     "such as anxiety, grief, stress and addiction.",
     ["Listen to clients and assess what they need help with.",
      "Agree on goals with a client and plan how to work towards them.",
      "Lead individual or group counselling sessions.",
      "Refer clients to other services, such as psychiatrists or support groups."]),
    ("21-1021.00", "Child, Family, and School Social Workers",
     "Support children and families through hard times: connect them with services, protect "
     "children at risk and help students who struggle at school.",
     ["Visit families to understand their situation and what support they need.",
      "Connect families with services such as housing, food aid or counselling.",
      "Investigate reports that a child may be unsafe and plan how to protect them.",
      "Work with teachers and parents when a student's problems affect their schooling."]),
    # Technology
    ("15-1252.00", "Software Developers",
     "Design and build the programs people use on computers, phones and the web, from the "
     "first idea through testing and later improvements.",
     ["Talk with users and colleagues to work out what a program must do.",
      "Design and write code, and review code written by teammates.",
      "Write automated tests and fix the bugs they find.",
      "Release new versions and watch how they behave in use."]),
    ("15-2051.00", "Data Scientists",
     "Find answers in data: collect and clean it, build statistical or machine-learning "
     "models, and explain what the results mean for a decision.",
     ["Gather data from databases, files and other sources and clean it for analysis.",
      "Build and test statistical or machine-learning models.",
      "Turn results into charts and short reports for people who are not specialists.",
      "Check models over time to make sure they still work on new data."]),
    ("15-1212.00", "Information Security Analysts",
     "Protect an organisation's computers, networks and data from attacks and mistakes, and "
     "lead the response when something goes wrong.",
     ["Monitor networks and systems for signs of an attack.",
      "Test systems for weaknesses before attackers find them.",
      "Set up and maintain firewalls, encryption and access controls.",
      "Investigate security incidents and write up what happened and how to prevent it."]),
    ("15-1255.00", "Web and Digital Interface Designers",
     "Design how websites and apps look and feel, so that people can find what they need and "
     "use it easily, on a phone as well as a laptop.",
     ["Sketch page layouts and user flows, then turn them into prototypes.",
      "Test designs with real users and improve them from what they learn.",
      "Choose type, colour and images that fit the organisation's style.",
      "Work with developers to make sure designs are built as intended and accessible."]),
    # Education
    ("25-2021.00", "Elementary School Teachers, Except Special Education",
     "Teach young children reading, writing, mathematics, science and social skills, usually "
     "one class for most of the school day.",
     ["Plan lessons that fit the curriculum and the needs of each child.",
      "Teach the whole class, small groups and individual children.",
      "Assess children's work and tell parents how they are doing.",
      "Keep the classroom a safe and orderly place to learn."]),
    ("25-2031.00",
     "Secondary School Teachers, Except Special and Career/Technical Education",
     "Teach one or more subjects to teenagers in middle or high school and help them prepare "
     "for further study, work and life as adults.",
     ["Prepare lessons, assignments and tests in their subject.",
      "Grade work and give students feedback they can act on.",
      "Help students who fall behind, before or after class.",
      "Advise students about courses, college and careers."]),
    ("21-1012.00", "Educational, Guidance, and Career Counselors and Advisors",
     "Help students choose courses, plan for college or work and deal with problems that get "
     "in the way of their studies, in schools, colleges and career centres.",
     ["Meet students one to one to talk about their goals and options.",
      "Help students explore careers with interest inventories and research.",
      "Review resumes and practise interviews with students.",
      "Run workshops on study skills, applications and job searching."]),
    # Business
    ("13-2011.00", "Accountants and Auditors",
     "Prepare and check financial records for businesses, governments and people, making "
     "sure they are accurate, lawful and useful for decisions.",
     ["Prepare financial statements and tax returns.",
      "Check accounts and records for errors and compliance with the law.",
      "Recommend ways to cut costs or improve financial controls.",
      "Explain financial results to managers and clients."]),
    ("13-1161.00", "Market Research Analysts and Marketing Specialists",
     "Study what customers want and how markets are changing, and help organisations decide "
     "what to offer, to whom and at what price.",
     ["Design surveys and focus groups to learn what customers think.",
      "Analyse sales figures, survey answers and competitors' offers.",
      "Forecast how a product or a campaign is likely to do.",
      "Present findings and recommendations to managers."]),
    ("13-1071.00", "Human Resources Specialists",
     "Find, hire and support an organisation's people: recruiting, onboarding, answering "
     "questions about pay and benefits, and handling workplace issues.",
     ["Write job postings and screen applicants.",
      "Interview candidates and check references.",
      "Welcome new employees and explain policies and benefits.",
      "Keep personnel records up to date and confidential."]),
    # Arts, design and media
    ("27-1024.00", "Graphic Designers",
     "Create the visual side of communication (logos, posters, packaging, websites, "
     "reports) so that a message is clear and memorable.",
     ["Meet clients to understand the message and the audience.",
      "Develop design ideas and present drafts for feedback.",
      "Produce final files for print or screen with design software.",
      "Keep a consistent look across a brand's materials."]),
    ("27-3023.00", "News Analysts, Reporters, and Journalists",
     "Find out what is happening and tell the public about it, in print, online, on radio "
     "or on television, checking facts along the way.",
     ["Research stories and interview people involved.",
      "Check facts and sources before publishing.",
      "Write, record or film stories to a deadline.",
      "Follow up on stories as they develop."]),
    # Public service and law
    ("33-2011.00", "Firefighters",
     "Respond to fires, accidents and medical emergencies to protect people and property, "
     "and help communities prevent fires in the first place.",
     ["Put out fires and rescue people from danger.",
      "Give first aid and emergency medical care at the scene.",
      "Inspect buildings for fire hazards.",
      "Keep equipment ready and train regularly."]),
    ("23-1011.00", "Lawyers",
     "Advise people and organisations on their legal rights and duties and represent them "
     "in negotiations and in court.",
     ["Meet clients to understand their situation and goals.",
      "Research laws, regulations and earlier court decisions.",
      "Draft contracts, wills and other legal documents.",
      "Present cases in court and negotiate settlements."]),
    ("19-3051.00", "Urban and Regional Planners",
     "Plan how land in towns, cities and regions is used, for housing, transport, parks and "
     "business, working with residents and local government.",
     ["Study data on population, land use and transport.",
      "Hold public meetings to hear residents' views.",
      "Review development proposals against the local plan.",
      "Recommend plans and policies to elected officials."]),
    # Science and engineering
    ("19-2041.00", "Environmental Scientists and Specialists, Including Health",
     "Study the environment and the risks to it and to people's health, and find ways to "
     "reduce pollution and protect natural resources.",
     ["Collect samples of air, water and soil and analyse them.",
      "Assess how a project or a pollutant may affect the environment and public health.",
      "Advise organisations on meeting environmental regulations.",
      "Write reports and explain findings to the public and policymakers."]),
    ("17-2051.00", "Civil Engineers",
     "Design and oversee the building of roads, bridges, water systems and other "
     "infrastructure that communities rely on every day.",
     ["Survey sites and study reports on soil and traffic.",
      "Design structures with computer software and engineering calculations.",
      "Estimate costs and check that designs meet safety codes.",
      "Oversee construction and inspect finished work."]),
    # Skilled trades
    ("47-2111.00", "Electricians",
     "Install, maintain and repair electrical wiring and equipment in homes, businesses and "
     "factories, following electrical codes to keep people safe.",
     ["Read blueprints and plan where wiring and outlets will go.",
      "Install wiring, lighting and control systems.",
      "Find and fix electrical faults with testing instruments.",
      "Inspect installations to make sure they meet the code."]),
    ("47-2152.00", "Plumbers, Pipefitters, and Steamfitters",
     "Install and repair the pipes that carry water, gas, steam and other fluids in "
     "buildings and industrial plants.",
     ["Plan pipe layouts from blueprints and building codes.",
      "Cut, bend and join pipes and fit fixtures such as sinks and water heaters.",
      "Test systems for leaks and repair them.",
      "Explain repairs and maintenance to customers."]),
]

occupation = sa.table(
    "occupation",
    sa.column("code", sa.String),
    sa.column("title", sa.String),
    sa.column("description", sa.Text),
    sa.column("major_group", sa.String),
    sa.column("source", sa.String),
)

occupation_task = sa.table(
    "occupation_task",
    sa.column("occupation_code", sa.String),
    sa.column("onet_task_id", sa.Integer),
    sa.column("statement", sa.Text),
    sa.column("task_type", sa.String),
)


def starter_rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows of ``occupation`` and of ``occupation_task`` this migration inserts."""
    occupations = [
        {"code": code, "title": title, "description": description, "major_group": code[:2],
         "source": SOURCE}
        for code, title, description, _tasks in STARTER_OCCUPATIONS
    ]
    tasks = [
        {"occupation_code": code, "onet_task_id": None, "statement": statement,
         "task_type": None}
        for code, _title, _description, statements in STARTER_OCCUPATIONS
        for statement in statements
    ]
    return occupations, tasks


def upgrade() -> None:
    occupations, tasks = starter_rows()
    op.bulk_insert(occupation, occupations)
    op.bulk_insert(occupation_task, tasks)


def downgrade() -> None:
    starter_codes = sa.select(occupation.c.code).where(occupation.c.source == SOURCE)
    op.execute(occupation_task.delete().where(occupation_task.c.occupation_code.in_(starter_codes)))
    op.execute(occupation.delete().where(occupation.c.source == SOURCE))
