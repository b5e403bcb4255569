//! Hard benign look-alikes: activity that resembles an attack but is legitimate.

mod admin;
mod apps;
mod people;

use crate::attacks::Plan;
use crate::rng::Gen;
use crate::spec::LookalikeFamily;
use crate::truth::GroundTruth;
use crate::world::World;

pub(crate) fn stage(world: &mut World, plan: &Plan, truth: &mut GroundTruth) {
    let mut gen = Gen::new(world.spec.seed, "lookalikes");
    for (family, user) in &plan.lookalikes {
        let mut family_gen = gen.fork(&format!("{family:?}"));
        let gen = &mut family_gen;
        match family {
            LookalikeFamily::Traveller => people::traveller(world, gen, *user),
            // The VPN exit replaced the user's home address at casting; background does the rest.
            LookalikeFamily::DailyVpnUser => {}
            LookalikeFamily::InternalForwarding => people::internal_forwarding(world, gen, *user),
            LookalikeFamily::MailGatewayConnector => {
                admin::mail_gateway_connector(world, gen, *user)
            }
            LookalikeFamily::DeveloperGraphScript => apps::developer_script(world, gen, *user),
            LookalikeFamily::LegitimateConsent => apps::legitimate_consent(world, gen, *user),
            LookalikeFamily::AllStaffMail => people::all_staff_mail(world, gen, *user),
            LookalikeFamily::NewPhone => people::new_phone(world, gen, *user),
            LookalikeFamily::LeaverForwardToManager => admin::leaver(world, gen, *user),
        }
        truth.benign.push(world.people[*user].upn.clone());
    }
}
