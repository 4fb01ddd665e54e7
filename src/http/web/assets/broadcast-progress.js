// Live progress of a broadcast: polls its progress.json every 2 s until nothing is pending.
(function(){
var box=document.getElementById("progress");if(!box)return;var url=box.getAttribute("data-url");
function cell(tr,text,cls){var td=document.createElement("td");td.textContent=text;if(cls)td.className=cls;tr.appendChild(td);}
function tick(){fetch(url,{credentials:"same-origin",headers:{accept:"application/json"}}).then(function(r){return r.ok?r.json():null}).then(function(d){
if(!d)return;["total","sent","failed","pending"].forEach(function(k){var el=box.querySelector('[data-count="'+k+'"]');if(el)el.textContent=String(d.counts[k]);});
var body=box.querySelector("tbody");if(body){while(body.firstChild)body.removeChild(body.firstChild);d.recipients.forEach(function(r){var tr=document.createElement("tr");tr.setAttribute("data-status",r.status);
cell(tr,r.name);cell(tr,r.channel);cell(tr,r.statusText,"st-"+r.status);cell(tr,r.reason);cell(tr,r.at);body.appendChild(tr);});}
var state=document.getElementById("progress-state");if(state)state.textContent=d.counts.pending>0?"Đang gửi…":"Đã xong.";
if(d.counts.pending>0)setTimeout(tick,2000);}).catch(function(){setTimeout(tick,5000);});}
setTimeout(tick,2000);})();
